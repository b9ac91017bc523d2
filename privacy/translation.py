from modeltranslation.translator import TranslationOptions, register

from privacy.models import Operator, PolicyVersion


@register(PolicyVersion)
class PolicyVersionTranslation(TranslationOptions):
    fields = ("text", "changes")
    required_languages = {"ru": ("text",)}


@register(Operator)
class OperatorTranslation(TranslationOptions):
    fields = ("name", "legal_address", "postal_address", "responsible_person")
    required_languages = ("ru",)

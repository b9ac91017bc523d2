from modeltranslation.translator import TranslationOptions, register

from privacy.models import PolicyVersion


@register(PolicyVersion)
class PolicyVersionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("ru",)

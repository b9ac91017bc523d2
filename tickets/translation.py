"""Organizer texts of the checkout in ru/kk/en: the questions asked of buyers.

Russian is required and is the fallback for readers of Kazakh and English.
"""

from modeltranslation.translator import TranslationOptions, register

from tickets.models import Question


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "help_text")
    required_languages = ("ru",)

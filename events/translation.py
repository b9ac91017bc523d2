"""Fields shown to buyers in ru/kk/en; Russian is required and is the fallback."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Category, City, Event, TicketType


class _RussianRequired(TranslationOptions):
    required_languages = ("ru",)


@register(Category)
class CategoryTranslation(_RussianRequired):
    fields = ("name",)


@register(City)
class CityTranslation(_RussianRequired):
    fields = ("name",)


@register(Event)
class EventTranslation(_RussianRequired):
    fields = ("title", "description")


@register(TicketType)
class TicketTypeTranslation(_RussianRequired):
    fields = ("name",)

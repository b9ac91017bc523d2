"""Fields shown to buyers in ru/kk/en; Russian is required and is the fallback."""

from modeltranslation.translator import TranslationOptions, register

from events.models import (
    Category,
    City,
    Event,
    ScheduleTicketType,
    SeatCategory,
    TicketType,
    Venue,
)


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


@register(ScheduleTicketType)
class ScheduleTicketTypeTranslation(_RussianRequired):
    fields = ("name",)


@register(Venue)
class VenueTranslation(_RussianRequired):
    fields = ("name", "address")


@register(SeatCategory)
class SeatCategoryTranslation(_RussianRequired):
    fields = ("name",)

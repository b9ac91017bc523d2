from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from events.models import Category, City, Event, Session, TicketType, Venue
from events.seating import admin as seating_admin  # noqa: F401  (registers the seating models)


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name_ru",)}


@admin.register(City)
class CityAdmin(TranslationAdmin):
    list_display = ("name", "slug")


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "address", "organizer")
    list_filter = ("city",)
    search_fields = ("name", "address")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ("title", "organizer", "category", "status", "created_at")
    list_filter = ("status", "category", "venue__city")
    search_fields = ("title_ru", "title_kk", "title_en", "slug", "organizer__public_name")
    list_select_related = ("organizer", "category")
    inlines = [SessionInline]


class TicketTypeInline(TranslationTabularInline):
    model = TicketType
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("event", "starts_at")
    list_select_related = ("event",)
    inlines = [TicketTypeInline]

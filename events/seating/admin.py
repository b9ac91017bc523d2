"""Admin of reserved seating: seat maps with their categories, seats, and session seating."""

from django.contrib import admin

from events.models import (
    Seat,
    SeatCategory,
    SeatMap,
    SessionSeatBlock,
    SessionSeating,
)


class SeatCategoryInline(admin.TabularInline):
    model = SeatCategory
    extra = 0


@admin.register(SeatMap)
class SeatMapAdmin(admin.ModelAdmin):
    list_display = ("name", "venue", "organizer", "created_at")
    list_filter = ("venue__city",)
    search_fields = ("name", "venue__name", "organizer__public_name")
    list_select_related = ("venue", "organizer")
    inlines = [SeatCategoryInline]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ("label", "seat_map", "category", "x", "y")
    list_filter = ("seat_map",)
    search_fields = ("label",)
    list_select_related = ("seat_map__venue", "category")
    raw_id_fields = ("seat_map", "category")


@admin.register(SessionSeating)
class SessionSeatingAdmin(admin.ModelAdmin):
    list_display = ("session", "seat_map")
    list_select_related = ("session__event", "seat_map__venue")
    raw_id_fields = ("session", "seat_map")


@admin.register(SessionSeatBlock)
class SessionSeatBlockAdmin(admin.ModelAdmin):
    list_display = ("seat", "session", "reason")
    list_filter = ("reason",)
    list_select_related = ("seat", "session__event")
    raw_id_fields = ("session", "seat")

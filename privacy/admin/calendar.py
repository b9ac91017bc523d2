"""The government's moved days off: staff enter each year's decree here."""

from django.contrib import admin

from privacy.models import MovedDayOff


@admin.register(MovedDayOff)
class MovedDayOffAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"

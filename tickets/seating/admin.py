"""Admin of seat claims: who holds or bought which seat, or that the organizer blocked it;
read-only (the services own them)."""

from django.contrib import admin

from tickets.models import SeatClaim


@admin.register(SeatClaim)
class SeatClaimAdmin(admin.ModelAdmin):
    list_display = (
        "seat",
        "session",
        "ticket_type",
        "reservation",
        "order_item",
        "blocked",
        "created_at",
    )
    list_filter = ("blocked",)
    list_select_related = ("seat", "session__event", "ticket_type", "order_item__order")
    search_fields = ("seat__label", "order_item__order__code")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

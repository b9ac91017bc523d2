from django.contrib import admin

from organizers.models import Membership, Organizer


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin):
    list_display = ("public_name", "kind", "bin_iin", "status", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("public_name", "legal_name", "bin_iin", "email")
    inlines = [MembershipInline]

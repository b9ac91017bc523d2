"""The destruction log and the anchors of chain cuts for staff: read-only, like every trail."""

from django.contrib import admin

from privacy.admin.base import ReadOnlyAdmin
from privacy.models import ChainCut, DestructionRecord


@admin.register(DestructionRecord)
class DestructionRecordAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "rule", "scope", "rows", "held", "ran_by", "ran_by_label")
    list_filter = ("rule", "created_at")
    search_fields = ("scope", "what")
    date_hierarchy = "created_at"
    list_select_related = ("ran_by",)


@admin.register(ChainCut)
class ChainCutAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "chain_table", "first_id", "last_id", "rows", "rule")
    list_filter = ("chain_table", "rule")
    search_fields = ("chain_table", "why")
    date_hierarchy = "created_at"

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from privacy.models import ConsentRecord, PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(TranslationAdmin):
    list_display = ("version", "published_at", "content_hash")
    readonly_fields = ("published_at", "content_hash", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: PolicyVersion | None = None):
        if obj is not None and obj.is_published:
            return [f.name for f in obj._meta.fields]
        return self.readonly_fields


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("created_at", "email", "user", "purpose", "action", "channel", "policy_version")
    list_filter = ("purpose", "action", "channel")
    search_fields = ("email", "phone", "user__email", "source")
    list_select_related = ("user", "policy_version")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

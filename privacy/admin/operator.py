"""The operator of personal data: one record, edited by staff, shown to everyone."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from privacy.models import Operator
from privacy.services import operator_save


@admin.register(Operator)
class OperatorAdmin(TranslationAdmin):
    fields = (
        "name",
        "bin",
        "legal_address",
        "postal_address",
        "privacy_email",
        "responsible_person",
        "updated_at",
        "updated_by",
    )
    readonly_fields = ("updated_at", "updated_by")
    list_display = ("name", "bin", "privacy_email", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Operator.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Operator | None = None) -> bool:
        return False  # the operator is always shown: correct it, never remove it

    def save_model(self, request: HttpRequest, obj: Operator, form, change: bool) -> None:
        operator_save(operator=obj, by=request.user)
        if not obj.is_complete:
            self.message_user(
                request,
                _("Fill in the name, BIN, both addresses and the e-mail: buyers need them."),
                messages.WARNING,
            )

"""Pieces shared by the privacy admin pages."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import FileField
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdmin(admin.ModelAdmin):
    """A trail: staff can look and search, nobody can add, change or delete here."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def deadline_badge(*, due, overdue: bool, done: bool, soon: bool = False) -> str:
    """The due time, red when overdue, amber when close; plain once the work is done."""
    text = (
        timezone.localtime(due).strftime("%d.%m.%Y %H:%M")
        if hasattr(due, "hour")
        else (due.strftime("%d.%m.%Y") if due else "—")
    )
    if done or due is None:
        return text
    if overdue:
        return format_html('<strong class="privacy-overdue">{} — {}</strong>', text, _("overdue"))
    if soon:
        return format_html('<strong class="privacy-due-soon">{}</strong>', text)
    return text


class DeadlineStylesMixin:
    """Colours for the deadline badges, from a static file (no inline styles: CSP)."""

    class Media:
        css = {"all": ["privacy/admin.css"]}


class OverdueFilter(admin.SimpleListFilter):
    """Open requests past their due time (models with ``due_at`` and ``OPEN_STATUSES``)."""

    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("open", _("Open, not overdue"))]

    def queryset(self, request, queryset):
        open_ = queryset.filter(status__in=queryset.model.OPEN_STATUSES)
        if self.value() == "overdue":
            return open_.filter(due_at__lt=timezone.now())
        if self.value() == "open":
            return open_.filter(due_at__gte=timezone.now())
        return queryset


if TYPE_CHECKING:  # the mixin is always combined with a ModelAdmin
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


class CorrectionAdminMixin(_ModelAdminBase):
    """Dates are evidence: fixed once entered (``FIXED_DATES``; ``ONCE_SET_DATES`` once filled).

    A wrong date is put right by a correction, a new entry naming the old one: the action
    "Enter a correction" opens the add form filled in from the selected entry.
    """

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "corrected_by_link"]
        if obj is not None:
            model = type(obj)
            fields += [*model.FIXED_DATES, "corrects"]
            fields += [name for name in model.ONCE_SET_DATES if getattr(obj, name) is not None]
        return list(dict.fromkeys(fields))

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        original = self.model._base_manager.filter(pk=initial.get("corrects") or None).first()
        if original is None:
            return initial
        copied = {
            field.name: field.value_from_object(original)
            for field in self.model._meta.fields
            if field.editable and not field.primary_key and not isinstance(field, FileField)
        }
        copied["corrects"] = original.pk
        return {**copied, **initial}

    @admin.display(description=_("corrected by"))
    def corrected_by_link(self, obj) -> str:
        if obj is None or not obj.is_corrected:
            return "—"
        correction = obj.corrected_by
        url = reverse(
            f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[correction.pk]
        )
        return format_html('<a href="{}">№ {}</a>', url, correction.pk)

    @admin.action(description=_("Enter a correction (the dates were wrong)"))
    def enter_correction(self, request: HttpRequest, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one entry."), messages.WARNING)
            return None
        url = reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_add")
        return HttpResponseRedirect(f"{url}?corrects={queryset.get().pk}")

"""Pieces shared by the privacy admin pages."""

from django.contrib import admin
from django.http import HttpRequest
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

"""The IP log: raw requests, daily counts, payment-flow events. Search by IP, user or time."""

import ipaddress

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.admin.base import ReadOnlyAdmin
from privacy.models import IpDailyStat, IpEvent, IpLogEntry


def _ip_or_none(term: str) -> str | None:
    try:
        return str(ipaddress.ip_address(term.strip()))
    except ValueError:
        return None


class IpSearchMixin:
    """An IP term matches the address exactly; other terms match the user's e-mail (or path).

    (A text search on an IP column would fail on PostgreSQL's ``inet`` type.)
    """

    text_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if not term:
            return queryset, False
        address = _ip_or_none(term)
        if address is not None:
            return queryset.filter(ip=address), False
        condition = Q()
        for field in self.text_search_fields:
            condition |= Q(**{f"{field}__icontains": term})
        return (queryset.filter(condition) if condition else queryset.none()), False


@admin.register(IpLogEntry)
class IpLogEntryAdmin(IpSearchMixin, ReadOnlyAdmin):
    list_display = ("created_at", "ip", "method", "path", "status", "user", "user_agent")
    list_filter = ("method", "status", "created_at")
    search_fields = ("ip",)  # shows the search box; the real search is get_search_results
    search_help_text = _("An IP address, a user's e-mail or a path")
    text_search_fields = ("user__email", "path")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    show_full_result_count = False


@admin.register(IpDailyStat)
class IpDailyStatAdmin(IpSearchMixin, ReadOnlyAdmin):
    list_display = ("day", "ip", "requests", "error_responses", "signed_in_requests")
    list_filter = ("day",)
    search_fields = ("ip",)
    date_hierarchy = "day"


@admin.register(IpEvent)
class IpEventAdmin(IpSearchMixin, ReadOnlyAdmin):
    list_display = ("created_at", "ip", "kind", "reference")
    list_filter = ("kind", "created_at")
    search_fields = ("ip",)
    text_search_fields = ("reference",)
    date_hierarchy = "created_at"

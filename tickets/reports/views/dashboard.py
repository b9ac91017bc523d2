"""The organizer's sales dashboard (all events and one event) and the payout report."""

from datetime import date

from django import forms
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from organizers.permissions import ROLES_REPORTS, organizer_object_or_404, organizer_role_required
from tickets.models import Order
from tickets.reports.charts import orders_chart
from tickets.reports.selectors import (
    event_rows_page,
    fee_percent,
    orders_per_day,
    promo_use,
    revenue,
    sales_totals,
    service_day_figures,
    sessions_figures,
)
from tickets.reports.services.exports import payout_export_build


class ServiceDayForm(forms.Form):
    """``?day=`` of a service's dashboard, typed; a wrong or empty one is today."""

    day = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def chosen_day(self) -> date:
        if self.is_bound and self.is_valid() and self.cleaned_data["day"]:
            return self.cleaned_data["day"]
        return timezone.localdate()


@organizer_role_required(*ROLES_REPORTS)
def organizer_dashboard(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    organizer = request.organizer
    sales, tickets = sales_totals(organizer=organizer)
    return render(
        request,
        "tickets/dashboard/organizer.html",
        {
            "organizer": organizer,
            "revenue": sales,
            "tickets": tickets,
            "rows": _events_page(request),
            "search": request.GET.get("q", "")[:100],
            "chart": orders_chart(orders_per_day(organizer=organizer, sales=sales)),
            "promo": promo_use(Order.objects.filter(organizer=organizer)),
            "fee_percent": fee_percent(),
        },
    )


@organizer_role_required(*ROLES_REPORTS)
def event_dashboard(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    service_day = day_form = None
    if event.is_service:  # thousands of slots: one typed day at a time, never all of them
        day_form = ServiceDayForm(request.GET or None)
        service_day = service_day_figures(event=event, day=day_form.chosen_day())
    sales, tickets = sales_totals(event=event)
    return render(
        request,
        "tickets/dashboard/event.html",
        {
            "organizer": request.organizer,
            "event": event,
            "revenue": sales,
            "tickets": tickets,
            "sessions": sessions_figures(event=event) if service_day is None else [],
            "service_day": service_day,
            "day_form": day_form,
            "chart": orders_chart(orders_per_day(event=event, sales=sales)),
            "promo": promo_use(Order.objects.filter(event=event)),
            "fee_percent": fee_percent(),
        },
    )


@organizer_role_required(*ROLES_REPORTS)
def payout_report(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    """Per event: gross, refunds, net, the portal's fee and the payout; ``?format=csv``."""
    organizer = request.organizer
    if request.GET.get("format") == "csv":
        result = payout_export_build(organizer=organizer)
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{result.name}"'
        return response
    return render(
        request,
        "tickets/dashboard/payout.html",
        {
            "organizer": organizer,
            "rows": _events_page(request, tickets=False),  # the report shows money only
            "search": request.GET.get("q", "")[:100],
            "total": revenue(organizer=organizer),
            "fee_percent": fee_percent(),
        },
    )


def _events_page(request: HttpRequest, *, tickets: bool = True) -> Page:
    """The page of event rows the request asks for (``?q=`` search, ``?page=``)."""
    return event_rows_page(
        organizer=request.organizer,
        search=request.GET.get("q", "")[:100],
        page_number=request.GET.get("page"),
        tickets=tickets,
    )

"""The organizer's sales dashboard (all events and one event) and the payout report."""

import csv
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from organizers.permissions import ROLES_REPORTS, organizer_object_or_404, organizer_role_required
from tickets.charts import orders_chart
from tickets.models import Order, OrderItem
from tickets.reports import (
    Revenue,
    TicketTotals,
    fee_percent,
    orders_per_day,
    promo_use,
    revenue,
    revenue_by_event,
    sessions_figures,
    ticket_totals,
    tickets_by_event,
)


@dataclass(frozen=True)
class EventRow:
    event: Event
    revenue: Revenue
    tickets: TicketTotals


def _event_rows(organizer) -> list[EventRow]:
    money = revenue_by_event(organizer=organizer)
    tickets = tickets_by_event(organizer=organizer)
    events = Event.objects.filter(organizer=organizer).order_by("-created_at", "-id")
    return [
        EventRow(
            event=event,
            revenue=money.get(event.pk, Revenue()),
            tickets=tickets.get(event.pk, TicketTotals()),
        )
        for event in events
    ]


@organizer_role_required(*ROLES_REPORTS)
def organizer_dashboard(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    organizer = request.organizer
    orders = Order.objects.filter(event__organizer=organizer)
    return render(
        request,
        "tickets/dashboard/organizer.html",
        {
            "organizer": organizer,
            "revenue": revenue(orders),
            "tickets": ticket_totals(OrderItem.objects.filter(order__event__organizer=organizer)),
            "rows": _event_rows(organizer),
            "chart": orders_chart(orders_per_day(orders)),
            "promo": promo_use(orders),
            "fee_percent": fee_percent(),
        },
    )


@organizer_role_required(*ROLES_REPORTS)
def event_dashboard(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    orders = Order.objects.filter(event=event)
    return render(
        request,
        "tickets/dashboard/event.html",
        {
            "organizer": request.organizer,
            "event": event,
            "revenue": revenue(orders),
            "tickets": ticket_totals(OrderItem.objects.filter(order__event=event)),
            "sessions": sessions_figures(event=event),
            "chart": orders_chart(orders_per_day(orders)),
            "promo": promo_use(orders),
            "fee_percent": fee_percent(),
        },
    )


@organizer_role_required(*ROLES_REPORTS)
def payout_report(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    """Per event: gross, refunds, net, the portal's fee and the payout; ``?format=csv``."""
    organizer = request.organizer
    rows = _event_rows(organizer)
    total = revenue(Order.objects.filter(event__organizer=organizer))
    if request.GET.get("format") == "csv":
        return _payout_csv(organizer, rows, total)
    return render(
        request,
        "tickets/dashboard/payout.html",
        {"organizer": organizer, "rows": rows, "total": total, "fee_percent": fee_percent()},
    )


def _payout_csv(organizer, rows: list[EventRow], total: Revenue) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payout-{organizer.slug}-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Event"),
            _("Paid orders"),
            _("Gross"),
            _("Refunds"),
            _("Net"),
            _("Portal fee, %(percent)s%%") % {"percent": fee_percent()},
            _("Payout"),
        ]
    )
    for row in rows:
        r = row.revenue
        writer.writerow([row.event.title, r.orders, *_amounts(r)])
    writer.writerow([_("Total"), total.orders, *_amounts(total)])
    return response


def _amounts(r: Revenue) -> list[str]:
    return [f"{value:.2f}" for value in (r.gross, r.refunds, r.net, r.fee, r.payout)]

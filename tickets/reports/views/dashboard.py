"""The organizer's sales dashboard (all events and one event) and the payout report."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from events.models import Event
from organizers.permissions import ROLES_REPORTS, organizer_object_or_404, organizer_role_required
from tickets.models import Order, OrderItem
from tickets.reports.charts import orders_chart
from tickets.reports.selectors import (
    event_rows,
    fee_percent,
    orders_per_day,
    promo_use,
    revenue,
    sessions_figures,
    ticket_totals,
)
from tickets.reports.services.exports import payout_export_build


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
            "rows": event_rows(organizer=organizer),
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
            "rows": event_rows(organizer=organizer),
            "total": revenue(Order.objects.filter(event__organizer=organizer)),
            "fee_percent": fee_percent(),
        },
    )

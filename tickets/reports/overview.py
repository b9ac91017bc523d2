"""The cabinet overview's sales side: today's sales, the coming sessions, and what waits.

Registered with ``organizers.cabinet`` by the tickets app; each panel is a fixed number of
aggregate queries, whatever the number of events or orders.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from events.models import Event, Session, TicketType
from organizers.cabinet import Attention
from organizers.models import Membership, Organizer
from tickets.delivery.models import EmailDelivery
from tickets.models import TicketSalesDay
from tickets.refunds.selectors import refund_requests_of_organizer
from tickets.reports.selectors import Revenue, revenue_from_sums
from tickets.reports.summary_sums import summary_sums

SOON_DAYS = 14  # a session this close with nothing on sale needs the organizer
UPCOMING_LIMIT = 8
FAILED_MAIL_DAYS = 7


def _today_starts() -> datetime:
    local_now = timezone.localtime()
    return datetime.combine(local_now.date(), time.min, tzinfo=local_now.tzinfo)


@dataclass(frozen=True)
class TodaysSales:
    revenue: Revenue
    tickets: int


def todays_sales(*, organizer: Organizer) -> TodaysSales:
    """Orders paid today (the local day, Asia/Almaty), their money and tickets, from the
    organizer's row of the day in the sales summary (1 query)."""
    sums = summary_sums(organizer=organizer, day=timezone.localdate())
    return TodaysSales(revenue=revenue_from_sums(sums), tickets=sums["sold"])


@dataclass(frozen=True)
class UpcomingSession:
    session: Session
    capacity: int
    sold: int

    @property
    def sold_percent(self) -> int:
        return round(self.sold * 100 / self.capacity) if self.capacity else 0


def upcoming_sessions(
    *, organizer: Organizer, limit: int = UPCOMING_LIMIT
) -> list[UpcomingSession]:
    """The next sessions of the organizer's published events, with tickets sold (2 queries)."""
    sessions = list(
        Session.objects.filter(
            event__organizer=organizer,
            event__status=Event.Status.PUBLISHED,
            starts_at__gte=timezone.now(),
        )
        .select_related("event", "event__venue")
        .annotate(capacity=Sum("ticket_types__quantity"))
        .order_by("starts_at", "id")[:limit]
    )
    sold = dict(
        TicketSalesDay.objects.filter(session__in=sessions)
        .values_list("session_id")
        .annotate(sold=Sum("sold"))
        .order_by()
    )
    return [
        UpcomingSession(session=s, capacity=s.capacity or 0, sold=sold.get(s.pk, 0))
        for s in sessions
    ]


def todays_sales_panel(organizer: Organizer, membership: Membership) -> dict[str, Any]:
    return {"today": todays_sales(organizer=organizer)}


def upcoming_sessions_panel(organizer: Organizer, membership: Membership) -> dict[str, Any]:
    return {"upcoming": upcoming_sessions(organizer=organizer)}


def sales_attention(organizer: Organizer, membership: Membership) -> list[Attention]:
    """Ticket e-mails that could not be sent lately, refund requests waiting for a decision,
    and coming sessions with no ticket type to sell (3 queries)."""
    items = []
    since = timezone.now() - timedelta(days=FAILED_MAIL_DAYS)
    failed = (
        EmailDelivery.objects.filter(
            order__event__organizer=organizer,
            status=EmailDelivery.Status.FAILED,
            created_at__gte=since,
        )
        .values("order_id")
        .distinct()
        .count()
    )
    if failed:
        items.append(
            Attention(
                message=ngettext(
                    "Tickets of %(count)d order could not be e-mailed: check the address and "
                    "send them again.",
                    "Tickets of %(count)d orders could not be e-mailed: check the addresses and "
                    "send them again.",
                    failed,
                )
                % {"count": failed},
                url=reverse("tickets:cabinet_orders", args=[organizer.slug]),
                urgent=True,
            )
        )
    waiting = refund_requests_of_organizer(organizer=organizer).count()
    if waiting:
        items.append(
            Attention(
                message=ngettext(
                    "%(count)d refund request waits for your decision.",
                    "%(count)d refund requests wait for your decision.",
                    waiting,
                )
                % {"count": waiting},
                url=reverse("tickets:cabinet_refund_requests", args=[organizer.slug]),
                urgent=True,
            )
        )
    now = timezone.now()
    on_sale = TicketType.objects.filter(session=OuterRef("pk"), quantity__gt=0)
    without_tickets = (
        Session.objects.filter(
            event__organizer=organizer,
            event__status=Event.Status.PUBLISHED,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=SOON_DAYS),
        )
        .filter(~Exists(on_sale))
        .count()
    )
    if without_tickets:
        items.append(
            Attention(
                message=ngettext(
                    "%(count)d coming session has no tickets to sell: add a ticket type.",
                    "%(count)d coming sessions have no tickets to sell: add ticket types.",
                    without_tickets,
                )
                % {"count": without_tickets},
                url=reverse("events_cabinet:event_list", args=[organizer.slug]),
            )
        )
    return items

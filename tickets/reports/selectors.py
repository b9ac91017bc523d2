"""Sales figures for the organizer's dashboard and payout report, aggregated in the database.

Every figure is one ``Sum``/``Count`` query over orders or tickets, so the number of queries
does not grow with the number of orders or events. Money is ``Decimal``.

* *gross*: the totals of orders that were paid (status paid or refunded);
* *refunds*: what was given back of them (``Order.refunded_amount``);
* *net* = gross − refunds; *fee* = net × ``PORTAL_FEE_PERCENT`` / 100 (to the tiyn);
* *payout* = net − fee: what the portal owes the organizer.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from events.models import Event, Session, TicketType
from tickets.models import Order, OrderItem

SOLD = (Order.Status.PAID, Order.Status.REFUNDED)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
VALID_SOLD = Q(status=OrderItem.Status.VALID, order__status=Order.Status.PAID)


def _money(expression: str, **extra) -> Coalesce:
    return Coalesce(
        Sum(expression, **extra),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def fee_percent() -> Decimal:
    return Decimal(str(settings.PORTAL_FEE_PERCENT))


@dataclass(frozen=True)
class Revenue:
    orders: int = 0
    gross: Decimal = ZERO
    refunds: Decimal = ZERO
    discounts: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunds

    @property
    def fee(self) -> Decimal:
        return (self.net * fee_percent() / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def payout(self) -> Decimal:
        return self.net - self.fee


def _revenue_columns() -> dict:
    return {
        "orders": Count("id"),
        "gross": _money("total"),
        "refunds": _money("refunded_amount"),
        "discounts": _money("discount"),
    }


def revenue(orders: QuerySet[Order]) -> Revenue:
    """Gross, refunds and discounts of the paid (or since refunded) orders among ``orders``."""
    return Revenue(**orders.filter(status__in=SOLD).aggregate(**_revenue_columns()))


def revenue_by_event(*, organizer) -> dict[int, Revenue]:
    """Event id → its revenue, in one grouped query."""
    rows = (
        Order.objects.filter(event__organizer=organizer, status__in=SOLD)
        .values("event_id")
        .annotate(**_revenue_columns())
        .order_by()
    )
    return {row.pop("event_id"): Revenue(**row) for row in rows}


@dataclass
class TicketTypeFigures:
    ticket_type: TicketType
    sold: int = 0
    refunded: int = 0
    revenue: Decimal = ZERO
    checked_in: int = 0

    @property
    def left(self) -> int:
        return max(self.ticket_type.quantity - self.ticket_type.quantity_taken, 0)

    @property
    def held(self) -> int:
        """Taken but not sold: in live carts or orders awaiting payment."""
        return max(self.ticket_type.quantity_taken - self.sold, 0)


@dataclass
class SessionFigures:
    session: Session
    ticket_types: list[TicketTypeFigures] = field(default_factory=list)
    capacity: int = 0
    sold: int = 0
    left: int = 0
    checked_in: int = 0

    @property
    def checkin_percent(self) -> int:
        return round(self.checked_in * 100 / self.sold) if self.sold else 0


def _item_counts() -> dict:
    return {
        "sold": Count("id", filter=VALID_SOLD),
        "refunded": Count("id", filter=Q(status=OrderItem.Status.REFUNDED)),
        "revenue": _money("amount", filter=VALID_SOLD),
        "checked_in": Count("check_in", filter=VALID_SOLD),
    }


def sessions_figures(*, event: Event) -> list[SessionFigures]:
    """Per session and ticket type: sold, refunded, left, revenue and check-in (4 queries)."""
    ticket_types = list(
        TicketType.objects.filter(session__event=event)
        .select_related("session")
        .order_by("session__starts_at", "session_id", "position", "id")
    )
    items = OrderItem.objects.filter(order__event=event)
    per_type = {
        row.pop("ticket_type_id"): row
        for row in items.values("ticket_type_id").annotate(**_item_counts()).order_by()
    }
    sold_per_session = {
        row.pop("ticket_type__session_id"): row
        for row in items.values("ticket_type__session_id")
        .annotate(
            sold=Count("id", filter=VALID_SOLD), checked_in=Count("check_in", filter=VALID_SOLD)
        )
        .order_by()
    }
    stock_per_session = {
        row.pop("session_id"): row
        for row in TicketType.objects.filter(session__event=event)
        .values("session_id")
        .annotate(capacity=Sum("quantity"), taken=Sum("quantity_taken"))
        .order_by()
    }
    sessions: dict[int, SessionFigures] = {}
    for tt in ticket_types:
        if tt.session_id not in sessions:
            stock = stock_per_session.get(tt.session_id, {})
            sold = sold_per_session.get(tt.session_id, {})
            sessions[tt.session_id] = SessionFigures(
                session=tt.session,
                capacity=stock.get("capacity") or 0,
                left=max((stock.get("capacity") or 0) - (stock.get("taken") or 0), 0),
                sold=sold.get("sold", 0),
                checked_in=sold.get("checked_in", 0),
            )
        sessions[tt.session_id].ticket_types.append(
            TicketTypeFigures(ticket_type=tt, **per_type.get(tt.pk, {}))
        )
    return list(sessions.values())


@dataclass(frozen=True)
class TicketTotals:
    sold: int = 0
    refunded: int = 0
    checked_in: int = 0

    @property
    def checkin_percent(self) -> int:
        return round(self.checked_in * 100 / self.sold) if self.sold else 0


def ticket_totals(items: QuerySet[OrderItem]) -> TicketTotals:
    """Tickets sold (valid, in paid orders), refunded and checked in among ``items``."""
    row = items.aggregate(
        sold=Count("id", filter=VALID_SOLD),
        refunded=Count("id", filter=Q(status=OrderItem.Status.REFUNDED)),
        checked_in=Count("check_in", filter=VALID_SOLD),
    )
    return TicketTotals(**row)


def tickets_by_event(*, organizer) -> dict[int, TicketTotals]:
    rows = (
        OrderItem.objects.filter(order__event__organizer=organizer)
        .values("order__event_id")
        .annotate(
            sold=Count("id", filter=VALID_SOLD),
            refunded=Count("id", filter=Q(status=OrderItem.Status.REFUNDED)),
            checked_in=Count("check_in", filter=VALID_SOLD),
        )
        .order_by()
    )
    return {row.pop("order__event_id"): TicketTotals(**row) for row in rows}


@dataclass(frozen=True)
class EventRow:
    event: Event
    revenue: Revenue
    tickets: TicketTotals


def event_rows(*, organizer) -> list[EventRow]:
    """The organizer's events, newest first, each with its revenue and tickets (3 queries)."""
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


@dataclass(frozen=True)
class PromoUse:
    code: str
    orders: int
    discount: Decimal
    revenue: Decimal


def promo_use(orders: QuerySet[Order]) -> list[PromoUse]:
    """Per promo code: paid orders using it, the discount given and what they brought."""
    rows = (
        orders.filter(status__in=SOLD, promo_code__isnull=False)
        .values("promo_code__code")
        .annotate(n=Count("id"), discount_sum=_money("discount"), revenue_sum=_money("total"))
        .order_by("-n", "promo_code__code")
    )
    return [
        PromoUse(
            code=r["promo_code__code"],
            orders=r["n"],
            discount=r["discount_sum"],
            revenue=r["revenue_sum"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Day:
    day: date
    orders: int
    revenue: Decimal


def orders_per_day(orders: QuerySet[Order], *, days: int = 60) -> list[Day]:
    """Paid orders and their totals per local day, gaps filled, the last ``days`` days of sales."""
    rows = list(
        orders.filter(status__in=SOLD, paid_at__isnull=False)
        .annotate(day=TruncDate("paid_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("day")
        .annotate(n=Count("id"), revenue_sum=_money("total"))
        .order_by("day")
    )
    if not rows:
        return []
    by_day = {r["day"]: r for r in rows}
    last = rows[-1]["day"]
    first = max(rows[0]["day"], last - timedelta(days=days - 1))
    result = []
    current = first
    while current <= last:
        row = by_day.get(current)
        result.append(
            Day(
                day=current,
                orders=row["n"] if row else 0,
                revenue=row["revenue_sum"] if row else ZERO,
            )
        )
        current += timedelta(days=1)
    return result

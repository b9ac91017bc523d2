"""Sales figures for the organizer's dashboard and payout report, aggregated in the database.

Every figure is one ``Sum``/``Count`` query over orders or tickets, so the number of queries
does not grow with the number of orders or events. Money is ``Decimal``.

* *gross*: the totals of orders that were paid (status paid or refunded);
* *refunds*: what was given back of them (``Order.refunded_amount``);
* *net* = gross − refunds; *fee* = net × ``PORTAL_FEE_PERCENT`` / 100 (to the tiyn);
* *payout* = net − fee: what the portal owes the organizer.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from events.models import Event, Session, TicketType
from events.schedules.selectors import slots_of_day_all
from events.selectors import organizer_events_typed
from organizers.models import Organizer
from tickets.models import Order, OrderItem

SOLD = (Order.Status.PAID, Order.Status.REFUNDED)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _keyed(rows: Iterable[Mapping[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    """Grouped ``values()`` rows by their group column, each row without that column."""
    return {row[key]: {k: v for k, v in row.items() if k != key} for row in rows}


VALID_SOLD = Q(status=OrderItem.Status.VALID, order__status=Order.Status.PAID)


def _money(expression: str, **extra: Any) -> Coalesce:
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


def _revenue_columns() -> dict[str, Any]:
    return {
        "orders": Count("id"),
        "gross": _money("total"),
        "refunds": _money("refunded_amount"),
        "discounts": _money("discount"),
    }


def revenue(orders: QuerySet[Order]) -> Revenue:
    """Gross, refunds and discounts of the paid (or since refunded) orders among ``orders``."""
    return Revenue(**orders.filter(status__in=SOLD).aggregate(**_revenue_columns()))


def revenue_by_event(
    *, organizer: Organizer, event_ids: list[int] | None = None
) -> dict[int, Revenue]:
    """Event id → its revenue (of ``event_ids`` only, when given), in one grouped query."""
    orders = Order.objects.filter(organizer=organizer, status__in=SOLD)
    if event_ids is not None:
        orders = orders.filter(event_id__in=event_ids)
    rows = orders.values("event_id").annotate(**_revenue_columns()).order_by()
    return {key: Revenue(**row) for key, row in _keyed(rows, "event_id").items()}


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


def _item_counts() -> dict[str, Any]:
    return {
        "sold": Count("id", filter=VALID_SOLD),
        "refunded": Count("id", filter=Q(status=OrderItem.Status.REFUNDED)),
        "revenue": _money("amount", filter=VALID_SOLD),
        "checked_in": Count("check_in", filter=VALID_SOLD),
    }


def sessions_figures(
    *, event: Event, sessions: QuerySet[Session] | None = None
) -> list[SessionFigures]:
    """Per session and ticket type: sold, refunded, left, revenue and check-in (4 queries);
    ``sessions`` narrows it to some of them (a service's day)."""
    types = TicketType.objects.filter(session__event=event)
    items = OrderItem.objects.filter(order__event=event)
    if sessions is not None:
        types = types.filter(session__in=sessions)
        items = items.filter(ticket_type__session__in=sessions)
    ticket_types = list(
        types.select_related("session").order_by(
            "session__starts_at", "session_id", "position", "id"
        )
    )
    per_type = _keyed(
        items.values("ticket_type_id").annotate(**_item_counts()).order_by(), "ticket_type_id"
    )
    sold_per_session = _keyed(
        items.values("ticket_type__session_id")
        .annotate(
            sold=Count("id", filter=VALID_SOLD), checked_in=Count("check_in", filter=VALID_SOLD)
        )
        .order_by(),
        "ticket_type__session_id",
    )
    stock_per_session = _keyed(
        types.values("session_id")
        .annotate(capacity=Sum("quantity"), taken=Sum("quantity_taken"))
        .order_by(),
        "session_id",
    )
    figures: dict[int, SessionFigures] = {}
    for tt in ticket_types:
        if tt.session_id not in figures:
            stock = stock_per_session.get(tt.session_id, {})
            sold = sold_per_session.get(tt.session_id, {})
            figures[tt.session_id] = SessionFigures(
                session=tt.session,
                capacity=stock.get("capacity") or 0,
                left=max((stock.get("capacity") or 0) - (stock.get("taken") or 0), 0),
                sold=sold.get("sold", 0),
                checked_in=sold.get("checked_in", 0),
            )
        figures[tt.session_id].ticket_types.append(
            TicketTypeFigures(ticket_type=tt, **per_type.get(tt.pk, {}))
        )
    return list(figures.values())


@dataclass
class ServiceDayFigures:
    """A service's dashboard for one local day: each slot's figures and the day's totals,
    with the open-dated tickets (they belong to no day) beside them."""

    day: date
    slots: list[SessionFigures]
    open_dated: list[SessionFigures]

    @property
    def sold(self) -> int:
        return sum(slot.sold for slot in self.slots)

    @property
    def checked_in(self) -> int:
        return sum(slot.checked_in for slot in self.slots)

    @property
    def revenue(self) -> Decimal:
        return sum((f.revenue for slot in self.slots for f in slot.ticket_types), Decimal("0.00"))


def service_day_figures(*, event: Event, day: date) -> ServiceDayFigures:
    """``sessions_figures`` of one day's slots of a service and of its open-dated tickets
    (8 queries, whatever the number of slots the service has)."""
    return ServiceDayFigures(
        day=day,
        slots=sessions_figures(event=event, sessions=slots_of_day_all(event=event, day=day)),
        open_dated=sessions_figures(
            event=event, sessions=Session.objects.filter(event=event, is_open_dated=True)
        ),
    )


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


def tickets_by_event(
    *, organizer: Organizer, event_ids: list[int] | None = None
) -> dict[int, TicketTotals]:
    items = OrderItem.objects.filter(order__event__organizer=organizer)
    if event_ids is not None:
        items = items.filter(order__event_id__in=event_ids)
    rows = (
        items.values("order__event_id")
        .annotate(
            sold=Count("id", filter=VALID_SOLD),
            refunded=Count("id", filter=Q(status=OrderItem.Status.REFUNDED)),
            checked_in=Count("check_in", filter=VALID_SOLD),
        )
        .order_by()
    )
    return {key: TicketTotals(**row) for key, row in _keyed(rows, "order__event_id").items()}


@dataclass(frozen=True)
class EventRow:
    event: Event
    revenue: Revenue
    tickets: TicketTotals


def event_rows(*, organizer: Organizer) -> list[EventRow]:
    """The organizer's events, newest first, each with its revenue and tickets (3 queries).
    Every event: for the payout file; pages use ``event_rows_page``."""
    events = Event.objects.filter(organizer=organizer).order_by("-created_at", "-id")
    return _rows(organizer, list(events), whole=True)


EVENTS_PER_PAGE = 20


def event_rows_page(
    *, organizer: Organizer, search: str = "", page_number: str | int | None = 1
) -> "Page[EventRow]":
    """One page of the organizer's events (newest first, ``search`` in their titles in any
    language), each with its revenue and tickets: 4 queries whatever the number of events."""
    events: QuerySet[Event] = Event.objects.filter(organizer=organizer)
    if search.strip():
        events = organizer_events_typed(organizer=organizer, text=search)
    events = events.order_by("-created_at", "-id")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(page_number)
    rows = _rows(organizer, list(page.object_list), whole=False)
    return Page(rows, page.number, page.paginator)  # type: ignore[arg-type]


def _rows(organizer: Organizer, events: list[Event], *, whole: bool) -> list[EventRow]:
    ids = None if whole else [event.pk for event in events]
    money = revenue_by_event(organizer=organizer, event_ids=ids)
    tickets = tickets_by_event(organizer=organizer, event_ids=ids)
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
    sold = orders.filter(status__in=SOLD, paid_at__isnull=False)
    # Only the window is grouped (``order_organizer_paid`` finds its start and its rows), so
    # the chart's cost does not grow with years of history.
    latest = sold.aggregate(latest=Max("paid_at"))["latest"]
    if latest is None:
        return []
    zone = ZoneInfo(settings.TIME_ZONE)
    since = datetime.combine(
        timezone.localtime(latest, zone).date() - timedelta(days=days - 1), time.min, tzinfo=zone
    )
    rows = list(
        sold.filter(paid_at__gte=since)
        .annotate(day=TruncDate("paid_at", tzinfo=zone))
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

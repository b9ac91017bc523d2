"""Sales figures for the organizer's dashboard and payout report.

The sales come from the summary kept in step with the orders (``EventSalesDay``,
``TicketSalesDay``, see ``tickets.reports.services.sales_summary``), so neither the number of
queries nor their cost grows with the number of orders. Check-ins (not in the summary) are
counted from the check-ins; promo codes' use is still counted from their orders. Money is
``Decimal``.

* *gross*: the totals of orders that were paid (status paid or refunded);
* *refunds*: what was given back of them (``Order.refunded_amount``);
* *net* = gross − refunds; *fee* = net × ``PORTAL_FEE_PERCENT`` / 100 (to the tiyn);
* *payout* = net − fee: what the portal owes the organizer.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from events.models import Event, Session, TicketType
from events.schedules.selectors import slots_of_day_all
from events.selectors import organizer_events_typed
from organizers.models import Organizer
from tickets.models import CheckIn, EventSalesDay, Order, OrderItem, TicketSalesDay

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
    # the last local day with a paid order (``revenue`` reads it; the chart starts from it)
    last_sale_day: date | None = None

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
        "orders": Coalesce(Sum("orders"), Value(0)),
        "gross": _money("gross"),
        "refunds": _money("refunds"),
        "discounts": _money("discounts"),
    }


def _sales_days(
    model: type[EventSalesDay] | type[TicketSalesDay],
    *,
    organizer: Organizer | None = None,
    event: Event | None = None,
    day: date | None = None,
) -> QuerySet[Any]:
    rows = model._default_manager.all()
    if organizer is not None:
        rows = rows.filter(organizer=organizer)
    if event is not None:
        rows = rows.filter(event=event)
    if day is not None:
        rows = rows.filter(day=day)
    return rows


def revenue(
    *, organizer: Organizer | None = None, event: Event | None = None, day: date | None = None
) -> Revenue:
    """Gross, refunds and discounts of the paid (or since refunded) orders of an organizer or
    an event (paid on ``day`` only, when given), and the last day of sales, from the sales
    summary: one query."""
    rows = _sales_days(EventSalesDay, organizer=organizer, event=event, day=day)
    # first: its condition is on the column ``orders``, not on the sum of the same name
    last_sale_day = Max("day", filter=Q(orders__gt=0))
    return Revenue(**rows.aggregate(last_sale_day=last_sale_day, **_revenue_columns()))


def revenue_by_event(
    *, organizer: Organizer, event_ids: list[int] | None = None
) -> dict[int, Revenue]:
    """Event id → its revenue (of ``event_ids`` only, when given), in one grouped query."""
    rows = EventSalesDay.objects.filter(organizer=organizer)
    if event_ids is not None:
        rows = rows.filter(event_id__in=event_ids)
    grouped = rows.values("event_id").annotate(**_revenue_columns()).order_by()
    return {key: Revenue(**row) for key, row in _keyed(grouped, "event_id").items()}


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


def _ticket_columns() -> dict[str, Any]:
    return {
        "sold": Coalesce(Sum("sold"), Value(0)),
        "refunded": Coalesce(Sum("refunded"), Value(0)),
    }


def _checked_in(organizer: Organizer | None = None, event: Event | None = None) -> Any:
    """Check-ins of valid tickets of paid orders: the door is not in the sales summary, so
    this counts check-ins (not orders)."""
    check_ins = CheckIn.objects.filter(
        item__status=OrderItem.Status.VALID, item__order__status=Order.Status.PAID
    )
    if organizer is not None:
        check_ins = check_ins.filter(session__event__organizer=organizer)
    if event is not None:
        check_ins = check_ins.filter(session__event=event)
    return check_ins


def sessions_figures(
    *, event: Event, sessions: QuerySet[Session] | None = None
) -> list[SessionFigures]:
    """Per session and ticket type: sold, refunded, left, revenue and check-in (3 queries, the
    sales from the summary); ``sessions`` narrows it to some of them (a service's day)."""
    types = TicketType.objects.filter(session__event=event)
    sales = TicketSalesDay.objects.filter(event=event)
    check_ins = _checked_in(event=event)
    if sessions is not None:
        types = types.filter(session__in=sessions)
        sales = sales.filter(session__in=sessions)
        check_ins = check_ins.filter(session__in=sessions)
    ticket_types = list(
        types.select_related("session").order_by(
            "session__starts_at", "session_id", "position", "id"
        )
    )
    per_type = _keyed(
        sales.values("ticket_type_id")
        .annotate(**_ticket_columns(), revenue=_money("revenue"))
        .order_by(),
        "ticket_type_id",
    )
    checked_in = dict(
        check_ins.values_list("item__ticket_type_id").annotate(n=Count("id")).order_by()
    )
    figures: dict[int, SessionFigures] = {}
    taken: dict[int, int] = {}
    for tt in ticket_types:
        row = TicketTypeFigures(
            ticket_type=tt, **per_type.get(tt.pk, {}), checked_in=checked_in.get(tt.pk, 0)
        )
        session = figures.setdefault(tt.session_id, SessionFigures(session=tt.session))
        session.ticket_types.append(row)
        session.capacity += tt.quantity
        taken[tt.session_id] = taken.get(tt.session_id, 0) + tt.quantity_taken
        session.sold += row.sold
        session.checked_in += row.checked_in
    for session_id, session in figures.items():
        session.left = max(session.capacity - taken[session_id], 0)
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


def ticket_totals(
    *, organizer: Organizer | None = None, event: Event | None = None
) -> TicketTotals:
    """Tickets sold (valid, in paid orders), refunded and checked in of an organizer or an
    event: the sales from the summary, the check-ins counted (2 queries)."""
    row = _sales_days(TicketSalesDay, organizer=organizer, event=event).aggregate(
        **_ticket_columns()
    )
    return TicketTotals(**row, checked_in=_checked_in(organizer, event).count())


def tickets_by_event(
    *, organizer: Organizer, event_ids: list[int] | None = None
) -> dict[int, TicketTotals]:
    sales = TicketSalesDay.objects.filter(organizer=organizer)
    check_ins = _checked_in(organizer)
    if event_ids is not None:
        sales = sales.filter(event_id__in=event_ids)
        check_ins = check_ins.filter(session__event_id__in=event_ids)
    checked_in = dict(check_ins.values_list("session__event_id").annotate(n=Count("id")).order_by())
    rows = _keyed(sales.values("event_id").annotate(**_ticket_columns()).order_by(), "event_id")
    return {
        key: TicketTotals(**row, checked_in=checked_in.get(key, 0)) for key, row in rows.items()
    }


@dataclass(frozen=True)
class EventRow:
    event: Event
    revenue: Revenue
    tickets: TicketTotals


def event_rows(*, organizer: Organizer) -> list[EventRow]:
    """The organizer's events, newest first, each with its revenue and tickets (4 queries).
    Every event: for the payout file; pages use ``event_rows_page``."""
    events = Event.objects.filter(organizer=organizer).order_by("-created_at", "-id")
    return _rows(organizer, list(events), whole=True)


EVENTS_PER_PAGE = 20


def event_rows_page(
    *, organizer: Organizer, search: str = "", page_number: str | int | None = 1
) -> "Page[EventRow]":
    """One page of the organizer's events (newest first, ``search`` in their titles in any
    language), each with its revenue and tickets: 5 queries whatever the number of events."""
    events: QuerySet[Event] = Event.objects.filter(organizer=organizer)
    if search.strip():
        events = organizer_events_typed(organizer=organizer, text=search)
    # the pages show an event's title and link to it: not its description, covers and settings
    titles = [f"title_{code}" for code, _name in settings.LANGUAGES]
    events = events.only("slug", "title", *titles).order_by("-created_at", "-id")
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


def orders_per_day(
    *,
    organizer: Organizer | None = None,
    event: Event | None = None,
    days: int = 60,
    sales: Revenue | None = None,
) -> list[Day]:
    """Paid orders and their totals per local day of payment, gaps filled, the last ``days``
    days of sales, from the sales summary (2 queries; one given ``sales``, the ``revenue``
    of the same organizer or event, which knows the last day of sales)."""
    rows = _sales_days(EventSalesDay, organizer=organizer, event=event)
    if sales is not None:
        last = sales.last_sale_day
    else:
        last = rows.filter(orders__gt=0).aggregate(last=Max("day"))["last"]
    if last is None:
        return []
    per_day = list(
        rows.filter(day__gt=last - timedelta(days=days))
        .values("day")
        .annotate(n=Sum("orders"), revenue_sum=_money("gross"))
        .filter(n__gt=0)
        .order_by("day")
    )
    by_day = {r["day"]: r for r in per_day}
    result = []
    current = per_day[0]["day"]
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

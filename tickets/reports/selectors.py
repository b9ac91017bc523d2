"""Sales figures for the organizer's dashboard and payout report.

The sales come from the summary kept in step with the orders (``OrganizerSalesDay``,
``EventSalesDay``, ``TicketSalesDay``, see ``tickets.reports.services.sales_summary``), so
neither the number of queries nor their cost grows with the number of orders; an organizer's
totals and chart read its own row per day, so they do not grow with its events either. The
sums every dashboard request needs are read by ``tickets.reports.summary_sums`` (SQL written
once, a tenth of the CPU of the same aggregates built by the ORM).
Check-ins (not in the summary) are counted from the check-ins; promo codes' use is still
counted from their orders. Money is ``Decimal``.

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
from django.db.models import Count, Q, QuerySet, Sum

from events.models import Event, Session, TicketType
from events.schedules.selectors import slots_of_day_all
from events.selectors import organizer_events_typed
from organizers.models import Organizer
from tickets.models import CheckIn, Order, OrderItem, TicketSalesDay
from tickets.reports.summary_sums import summary_days, summary_sums, summary_sums_by_event

SOLD = (Order.Status.PAID, Order.Status.REFUNDED)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _keyed(rows: Iterable[Mapping[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    """Grouped ``values()`` rows by their group column, each row without that column."""
    return {row[key]: {k: v for k, v in row.items() if k != key} for row in rows}


VALID_SOLD = Q(status=OrderItem.Status.VALID, order__status=Order.Status.PAID)


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


def revenue_from_sums(sums: Mapping[str, Any]) -> Revenue:
    """The ``Revenue`` of the summary's sums (``tickets.reports.summary_sums``)."""
    return Revenue(
        orders=sums["orders"],
        gross=sums["gross"],
        refunds=sums["refunds"],
        discounts=sums["discounts"],
        last_sale_day=sums.get("last_sale_day"),
    )


def revenue(
    *, organizer: Organizer | None = None, event: Event | None = None, day: date | None = None
) -> Revenue:
    """Gross, refunds and discounts of the paid (or since refunded) orders of an organizer or
    an event (paid on ``day`` only, when given), and the last day of sales, from the sales
    summary: one query."""
    return revenue_from_sums(summary_sums(organizer=organizer, event=event, day=day))


def sales_totals(
    *, organizer: Organizer | None = None, event: Event | None = None
) -> "tuple[Revenue, TicketTotals]":
    """``revenue`` and ``ticket_totals`` of an organizer or an event together: the money and
    the tickets in one query over the summary's days, the check-ins counted (2 queries)."""
    sums = summary_sums(organizer=organizer, event=event)
    tickets = TicketTotals(
        sold=sums["sold"],
        refunded=sums["refunded"],
        checked_in=_checked_in(organizer, event).count(),
    )
    return revenue_from_sums(sums), tickets


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
    # a group has rows, and the figures no NULLs: plain sums, no COALESCE to build
    per_type = _keyed(
        sales.values("ticket_type_id")
        .annotate(sold=Sum("sold"), refunded=Sum("refunded"), revenue=Sum("revenue"))
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
    sums = summary_sums(organizer=organizer, event=event)
    return TicketTotals(
        sold=sums["sold"],
        refunded=sums["refunded"],
        checked_in=_checked_in(organizer, event).count(),
    )


def _checked_in_by_event(organizer: Organizer, event_ids: list[int] | None) -> dict[int, int]:
    check_ins = _checked_in(organizer)
    if event_ids is not None:
        check_ins = check_ins.filter(session__event_id__in=event_ids)
    return dict(check_ins.values_list("session__event_id").annotate(n=Count("id")).order_by())


@dataclass(frozen=True)
class EventRow:
    event: Event
    revenue: Revenue
    tickets: TicketTotals | None = None  # not read for the payout report


def event_rows(*, organizer: Organizer, tickets: bool = True) -> list[EventRow]:
    """The organizer's events, newest first, each with its revenue and (unless not
    ``tickets``) its tickets: 2 queries, 3 with the tickets. Every event: for the payout
    file; pages use ``event_rows_page``."""
    events = Event.objects.filter(organizer=organizer).order_by("-created_at", "-id")
    return _rows(organizer, list(events), whole=True, tickets=tickets)


EVENTS_PER_PAGE = 20


def event_rows_page(
    *,
    organizer: Organizer,
    search: str = "",
    page_number: str | int | None = 1,
    tickets: bool = True,
) -> "Page[EventRow]":
    """One page of the organizer's events (newest first, ``search`` in their titles in any
    language), each with its revenue and (unless not ``tickets``) its tickets: 4 queries, 3
    without the tickets, whatever the number of events."""
    events: QuerySet[Event] = Event.objects.filter(organizer=organizer)
    if search.strip():
        events = organizer_events_typed(organizer=organizer, text=search)
    # the pages show an event's title and link to it: not its description, covers and settings
    titles = [f"title_{code}" for code, _name in settings.LANGUAGES]
    events = events.only("slug", "title", *titles).order_by("-created_at", "-id")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(page_number)
    rows = _rows(organizer, list(page.object_list), whole=False, tickets=tickets)
    return Page(rows, page.number, page.paginator)  # type: ignore[arg-type]


def _rows(
    organizer: Organizer, events: list[Event], *, whole: bool, tickets: bool
) -> list[EventRow]:
    """``events`` with their figures: the money and the tickets of each in one grouped query
    over the summary, and the check-ins in another (only with ``tickets``)."""
    ids = None if whole else [event.pk for event in events]
    figures = summary_sums_by_event(organizer=organizer, event_ids=ids)
    checked_in = _checked_in_by_event(organizer, ids) if tickets else {}
    rows = []
    for event in events:
        sums = figures.get(event.pk)
        rows.append(
            EventRow(
                event=event,
                revenue=revenue_from_sums(sums) if sums else Revenue(),
                tickets=TicketTotals(
                    sums["sold"] if sums else 0,
                    sums["refunded"] if sums else 0,
                    checked_in.get(event.pk, 0),
                )
                if tickets
                else None,
            )
        )
    return rows


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
        # a group has rows, and the amounts no NULLs: plain sums, no COALESCE to build
        .annotate(n=Count("id"), discount_sum=Sum("discount"), revenue_sum=Sum("total"))
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
    if sales is None:
        sales = revenue(organizer=organizer, event=event)
    last = sales.last_sale_day
    if last is None:
        return []
    per_day = summary_days(organizer=organizer, event=event, after=last - timedelta(days=days))
    by_day = {day: (orders, gross) for day, orders, gross in per_day}
    result = []
    current = per_day[0][0]
    while current <= last:
        orders, gross = by_day.get(current, (0, ZERO))
        result.append(Day(day=current, orders=orders, revenue=gross))
        current += timedelta(days=1)
    return result

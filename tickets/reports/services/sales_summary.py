"""The sales summary (``EventSalesDay``, ``OrganizerSalesDay``, ``TicketSalesDay``) kept in step
with the orders.

Every change of an order that moves money or tickets calls one function here inside its own
transaction: ``sales_summary_transition_statements`` (paid; cancelled after payment: its
statements are sent with the order's move and log), ``sales_summary_refund`` and
``sales_summary_move``. Each adds its differences to the rows of
the order's day in one upsert (``INSERT … ON CONFLICT DO UPDATE SET x = x + delta``), so the
day's first sale costs what the next does and two payments at once both count. The organizer's
row of the day gets the event row's differences (it holds their sums). Rows are touched in one
order (the event's row, the organizer's, then ticket types by id) so concurrent payments wait
for each other instead of deadlocking.

``sales_summary_recount`` counts the same figures again from the orders, reports the rows that
differ and, asked to, sets them right (``manage.py sales_summary_recount``).
"""

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from events.models import TicketType
from eventum.rows import Statement, statements_run
from tickets.models import Order, OrderItem
from tickets.reports.models import EventSalesDay, OrganizerSalesDay, TicketSalesDay

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
SOLD = (Order.Status.PAID, Order.Status.REFUNDED)
EVENT_FIGURES = ("orders", "gross", "discounts", "refunds", "sold", "refunded")
TICKET_FIGURES = ("sold", "refunded", "revenue")


def sale_day(order: Order) -> date:
    """The local day an order counts on: the day it was paid."""
    return timezone.localtime(order.paid_at or order.created_at).date()


def _add(
    model: type[models.Model],
    *,
    key: Mapping[str, Any],
    copied: Mapping[str, Any],
    deltas: Mapping[str, Any],
) -> list[Statement]:
    """The statement adding ``deltas`` to the row ``key`` of ``model``, making it (with
    ``copied``) if new; none when nothing changes (``_run`` sends a change's together).

    One statement, ``INSERT … ON CONFLICT (key) DO UPDATE SET x = x + EXCLUDED.x`` (PostgreSQL
    and SQLite both have it): the day's first sale costs no more than the next, and two
    payments making the same row at once both count, the second adding to the first's row."""
    if not any(deltas.values()):
        return []
    connection = connections[router.db_for_write(model)]
    values = {**key, **copied, **deltas}
    sql, defaulted = _add_statement(connection, model, tuple(key), tuple(values), tuple(deltas))
    by_name = _fields_by_name(model)
    for name in defaulted:  # the figures not changed here start at their default
        values[name] = by_name[name].get_default()
    params = [by_name[name].get_db_prep_save(value, connection) for name, value in values.items()]
    return [(sql, params)]


def _run(statements: list[Statement]) -> None:
    """The summary's statements of one change, in one round trip where the database can."""
    if statements:
        statements_run(router.db_for_write(EventSalesDay), statements)


@functools.cache
def _fields_by_name(model: type[models.Model]) -> "dict[str, models.Field[Any, Any]]":
    fields = model._meta.concrete_fields
    return {field.attname: field for field in fields} | {field.name: field for field in fields}


_ADDS: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}


def _add_statement(
    connection: Any,
    model: type[models.Model],
    key: tuple[str, ...],
    given: tuple[str, ...],
    deltas: tuple[str, ...],
) -> tuple[str, tuple[str, ...]]:
    """``_add``'s statement for these columns, built once, and the figures not given, which
    start at their defaults (their values follow the given ones, in the statement's order)."""
    cache_key = (connection.vendor, model, key, given, deltas)
    built = _ADDS.get(cache_key)
    if built is None:
        quote: Callable[[str], str] = connection.ops.quote_name
        by_name = _fields_by_name(model)
        defaulted = tuple(
            field.attname
            for field in model._meta.concrete_fields
            if not field.primary_key and field.attname not in given and field.has_default()
        )

        def column(name: str) -> str:
            return quote(by_name[name].get_attname_column()[1] or name)

        table = quote(model._meta.db_table)
        columns = ", ".join(column(name) for name in (*given, *defaulted))
        conflict = ", ".join(column(name) for name in key)
        changes = ", ".join(
            f"{column(name)} = {table}.{column(name)} + EXCLUDED.{column(name)}" for name in deltas
        )
        placeholders = ", ".join(["%s"] * (len(given) + len(defaulted)))
        built = _ADDS[cache_key] = (
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {changes}",
            defaulted,
        )
    return built


def _organizer_id(order: Order) -> int:
    """The order's organizer (orders made before it was copied onto them name only the
    event)."""
    return order.organizer_id or order.event.organizer_id


def _event_add(order: Order, **deltas: Any) -> list[Statement]:
    """Add ``deltas`` to the order's event and day, and to its organizer's day (their sums)."""
    organizer_id, day = _organizer_id(order), sale_day(order)
    return _add(
        EventSalesDay,
        key={"event_id": order.event_id, "day": day},
        copied={"organizer_id": organizer_id},
        deltas=deltas,
    ) + _add(
        OrganizerSalesDay, key={"organizer_id": organizer_id, "day": day}, copied={}, deltas=deltas
    )


@dataclass(frozen=True)
class _TicketChange:
    ticket_type_id: int
    session_id: int
    sold: int = 0
    refunded: int = 0
    revenue: Decimal = ZERO


def _tickets_add(order: Order, changes: Iterable[_TicketChange]) -> list[Statement]:
    day = sale_day(order)
    statements = []
    for change in sorted(changes, key=lambda c: c.ticket_type_id):
        statements += _add(
            TicketSalesDay,
            key={"ticket_type_id": change.ticket_type_id, "day": day},
            copied={
                "organizer_id": _organizer_id(order),
                "event_id": order.event_id,
                "session_id": change.session_id,
            },
            deltas={"sold": change.sold, "refunded": change.refunded, "revenue": change.revenue},
        )
    return statements


def _per_type(items: QuerySet[OrderItem]) -> list[dict[str, Any]]:
    rows = (
        items.values("ticket_type_id", "ticket_type__session_id")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by("ticket_type_id")
    )
    return [dict(row) for row in rows]


def _per_type_of_order(order_id: int, status: str) -> list[dict[str, Any]]:
    """``_per_type`` of the order's tickets in ``status`` (``sales_per_type_statement``)."""
    using = router.db_for_read(OrderItem)
    (rows,) = statements_run(using, [sales_per_type_statement(order_id, status, using=using)])
    return sales_per_type_of(rows)


def sales_per_type_statement(order_id: int, status: str, *, using: str) -> Statement:
    """The order's tickets in ``status`` counted and summed per ticket type: one grouped read in
    SQL, as every payment asks it and the ORM's grouping took longer to build than to run; for
    a caller to send with its own statements (a payment with its order's lock), its rows for
    ``sales_per_type_of``."""
    quote = connections[using].ops.quote_name
    items, types = quote(OrderItem._meta.db_table), quote(TicketType._meta.db_table)
    return (
        f"SELECT i.ticket_type_id, t.session_id, COUNT(i.id), SUM(i.amount) FROM {items} i "
        f"JOIN {types} t ON t.id = i.ticket_type_id WHERE i.order_id = %s AND i.status = %s "
        "GROUP BY i.ticket_type_id, t.session_id ORDER BY i.ticket_type_id",
        [order_id, status],
    )


def sales_per_type_of(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """``_per_type``'s rows from ``sales_per_type_statement``'s. The sums come back as the ORM
    gives them: ``Decimal`` to the tiyn (SQLite sums in floating point)."""
    return [
        {
            "ticket_type_id": ticket_type_id,
            "ticket_type__session_id": session_id,
            "n": count,
            "amount": _money_of(amount),
        }
        for ticket_type_id, session_id, count, amount in rows
    ]


def _money_of(value: Any) -> Decimal | None:
    """A sum of money read in SQL as the ORM reads it: ``Decimal`` with two places."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT)


def _per_type_of(items: Iterable[OrderItem], status: str) -> list[dict[str, Any]]:
    """``_per_type`` of tickets in memory (each with its ticket type read)."""
    rows: dict[int, dict[str, Any]] = {}
    for item in items:
        if item.status != status:
            continue
        row = rows.setdefault(
            item.ticket_type_id,
            {
                "ticket_type_id": item.ticket_type_id,
                "ticket_type__session_id": item.ticket_type.session_id,
                "n": 0,
                "amount": ZERO,
            },
        )
        row["n"] += 1
        row["amount"] += item.amount
    return [rows[ticket_type_id] for ticket_type_id in sorted(rows)]


def sales_summary_transition_statements(
    order: Order,
    *,
    previous: str,
    to: str,
    items: list[OrderItem] | None = None,
    counted: list[dict[str, Any]] | None = None,
) -> list[Statement]:
    """An order moved from ``previous`` to ``to``: a paid one counts, with its valid tickets;
    one cancelled after payment (a free order) stops counting, with its cancelled tickets.

    The writes, for the caller to send with its own (the order's move, its log) in one round
    trip; what they count is read now, unless the caller has it: ``items``, every ticket of
    the order in memory (an order made in this transaction, paid at once), or ``counted``,
    the tickets of the status counted here as ``sales_per_type_of`` gives them (a payment
    reads them with its order's lock)."""
    if to == Order.Status.PAID:
        sign, item_status = 1, OrderItem.Status.VALID
    elif previous == Order.Status.PAID and to == Order.Status.CANCELLED:
        sign, item_status = -1, OrderItem.Status.CANCELLED
    else:
        return []  # refunds are counted by ``sales_summary_refund``; nothing else was sold
    if counted is not None:
        rows = counted
    elif items is not None:
        rows = _per_type_of(items, item_status)
    else:
        rows = _per_type_of_order(order.pk, item_status)
    event_rows = _event_add(
        order,
        orders=sign,
        gross=sign * order.total,
        discounts=sign * order.discount,
        refunds=sign * order.refunded_amount,
        sold=sign * sum(row["n"] for row in rows),
    )
    ticket_rows = _tickets_add(
        order,
        (
            _TicketChange(
                row["ticket_type_id"],
                row["ticket_type__session_id"],
                sold=sign * row["n"],
                revenue=sign * (row["amount"] or ZERO),
            )
            for row in rows
        ),
    )
    return event_rows + ticket_rows


def sales_summary_refund(order: Order, *, item_ids: list[int], amount: Decimal) -> None:
    """Tickets ``item_ids`` of a paid order were refunded and ``amount`` given back."""
    rows = _per_type(OrderItem.objects.filter(pk__in=item_ids))
    tickets = sum(row["n"] for row in rows)
    event_rows = _event_add(order, refunds=amount, sold=-tickets, refunded=tickets)
    ticket_rows = _tickets_add(
        order,
        (
            _TicketChange(
                row["ticket_type_id"],
                row["ticket_type__session_id"],
                sold=-row["n"],
                refunded=row["n"],
                revenue=-(row["amount"] or ZERO),
            )
            for row in rows
        ),
    )
    _run(event_rows + ticket_rows)


def sales_summary_move(
    order: Order, *, items: list[OrderItem], new_types: Mapping[int, TicketType]
) -> None:
    """The valid tickets ``items`` of a paid order move to ``new_types`` (old type id → new
    type): they stop counting for the old ticket types and count for the new ones (of the
    same event: its and the organizer's rows do not change)."""
    changes: dict[int, _TicketChange] = {}

    def shift(ticket_type_id: int, session_id: int, sold: int, revenue: Decimal) -> None:
        was = changes.get(ticket_type_id, _TicketChange(ticket_type_id, session_id))
        changes[ticket_type_id] = _TicketChange(
            ticket_type_id, session_id, sold=was.sold + sold, revenue=was.revenue + revenue
        )

    for item in items:
        new = new_types[item.ticket_type_id]
        shift(item.ticket_type_id, item.ticket_type.session_id, -1, -item.amount)
        shift(new.pk, new.session_id, 1, item.amount)
    _run(_tickets_add(order, changes.values()))


def _money(expression: str, **extra: Any) -> Coalesce:
    return Coalesce(
        Sum(expression, **extra),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def _day(path: str) -> TruncDate:
    return TruncDate(
        Coalesce(f"{path}paid_at", f"{path}created_at"), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def expected_event_rows(orders: QuerySet[Any]) -> dict[tuple[int, date], dict[str, Any]]:
    """(event id, day) → the figures of ``EventSalesDay`` counted from ``orders``, with the
    organizer id. Takes the queryset so that the data migration can pass its own model."""
    rows = (
        orders.filter(status__in=SOLD)
        .annotate(sale_day=_day(""), owner=Coalesce("organizer", "event__organizer"))
        .values("event_id", "sale_day", "owner")
        .annotate(
            orders=Count("id"),
            gross=_money("total"),
            discounts=_money("discount"),
            refunds=_money("refunded_amount"),
        )
        .order_by()
    )
    return {
        (row.pop("event_id"), row.pop("sale_day")): {"organizer_id": row.pop("owner"), **row}
        for row in rows
    }


def expected_ticket_rows(items: QuerySet[Any]) -> dict[tuple[int, date], dict[str, Any]]:
    """(ticket type id, day) → the figures of ``TicketSalesDay`` counted from ``items``, with
    the organizer, event and session ids."""
    valid_sold = Q(status=OrderItem.Status.VALID, order__status=Order.Status.PAID)
    rows = (
        items.filter(valid_sold | Q(status=OrderItem.Status.REFUNDED))
        .annotate(
            sale_day=_day("order__"),
            owner=Coalesce("order__organizer", "order__event__organizer"),
        )
        .values(
            "ticket_type_id",
            "sale_day",
            "owner",
            "order__event_id",
            "ticket_type__session_id",
        )
        .annotate(
            sold=Count("id", filter=valid_sold),
            refunded=Count("id", filter=Q(status=OrderItem.Status.REFUNDED)),
            revenue=_money("amount", filter=valid_sold),
        )
        .order_by()
    )
    return {
        (row.pop("ticket_type_id"), row.pop("sale_day")): {
            "organizer_id": row.pop("owner"),
            "event_id": row.pop("order__event_id"),
            "session_id": row.pop("ticket_type__session_id"),
            **row,
        }
        for row in rows
    }


@dataclass(frozen=True)
class SummaryDifference:
    """One summary row that does not match the orders: what it says and what it should."""

    table: str
    key: tuple[int, date]
    found: dict[str, Any]
    expected: dict[str, Any]


def _compare(
    table: str,
    found: Mapping[tuple[int, date], dict[str, Any]],
    expected: Mapping[tuple[int, date], dict[str, Any]],
    figures: tuple[str, ...],
) -> list[SummaryDifference]:
    differences = []
    for key in sorted(set(found) | set(expected)):
        has = {name: found.get(key, {}).get(name) or 0 for name in figures}  # no row: zeros
        wants = {name: expected.get(key, {}).get(name) or 0 for name in figures}
        if has != wants:
            differences.append(SummaryDifference(table, key, has, wants))
    return differences


def _with_tickets(
    events: dict[tuple[int, date], dict[str, Any]],
    tickets: Mapping[tuple[int, date], dict[str, Any]],
) -> dict[tuple[int, date], dict[str, Any]]:
    """``events`` (``expected_event_rows``) with the tickets sold and refunded of each event
    and day: the sums of its ``tickets`` (``expected_ticket_rows``)."""
    rows = {key: {**row, "sold": 0, "refunded": 0} for key, row in events.items()}
    for (_ticket_type, day), ticket in tickets.items():
        row = rows.setdefault(  # none without its order's row; should one be, it has zeros
            (ticket["event_id"], day),
            {"organizer_id": ticket["organizer_id"], **dict.fromkeys(EVENT_FIGURES, 0)},
        )
        row["sold"] += ticket["sold"]
        row["refunded"] += ticket["refunded"]
    return rows


def _organizer_days(
    events: Mapping[tuple[int, date], dict[str, Any]],
) -> dict[tuple[int, date], dict[str, Any]]:
    """(organizer id, day) → the sums of the organizer's event rows of that day."""
    rows: dict[tuple[int, date], dict[str, Any]] = {}
    for (_event, day), event in events.items():
        row = rows.setdefault((event["organizer_id"], day), {})
        for name in EVENT_FIGURES:
            row[name] = row.get(name, 0) + (event.get(name) or 0)
    return rows


@transaction.atomic
def sales_summary_recount(*, fix: bool = False) -> list[SummaryDifference]:
    """Count every figure of the summary again from the orders and return the rows that
    differ; with ``fix`` the summary is set to the recount (rows nothing sold on deleted)."""
    differences = []
    tickets = expected_ticket_rows(OrderItem.objects.all())
    events = _with_tickets(expected_event_rows(Order.objects.all()), tickets)
    for table, model, key_name, figures, expected in (
        ("event", EventSalesDay, "event_id", EVENT_FIGURES, events),
        ("organizer", OrganizerSalesDay, "organizer_id", EVENT_FIGURES, _organizer_days(events)),
        ("ticket", TicketSalesDay, "ticket_type_id", TICKET_FIGURES, tickets),
    ):
        found = {
            (row.pop(key_name), row.pop("day")): row
            for row in model._default_manager.values("pk", key_name, "day", *figures)
        }
        wrong = _compare(table, found, expected, figures)
        differences += wrong
        if fix:
            _set_right(model, key_name, figures, [d.key for d in wrong], found, expected)
    return differences


def _set_right(
    model: type[models.Model],
    key_name: str,
    figures: tuple[str, ...],
    keys: list[tuple[int, date]],
    found: Mapping[tuple[int, date], dict[str, Any]],
    expected: Mapping[tuple[int, date], dict[str, Any]],
) -> None:
    """Make the rows ``keys`` say what the recount found: update, add, or delete those
    nothing was sold on (in bulk: a first fill of a big history is many rows)."""
    manager = model._default_manager
    missing = [key for key in keys if key not in found]
    extra = [found[key]["pk"] for key in keys if key not in expected]
    changed = [
        model(pk=found[key]["pk"], **{name: expected[key][name] for name in figures})
        for key in keys
        if key in found and key in expected
    ]
    manager.filter(pk__in=extra).delete()
    manager.bulk_update(changed, list(figures), batch_size=1000)
    manager.bulk_create(
        (model(**{key_name: key[0], "day": key[1]}, **expected[key]) for key in missing),
        batch_size=1000,
    )

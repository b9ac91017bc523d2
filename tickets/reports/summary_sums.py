"""The sums of the sales summary that every dashboard request reads, in SQL written here once.

The dashboards and the payout report add up the summary's rows (``OrganizerSalesDay``,
``EventSalesDay``) of an organizer or an event on every request. Composed by the ORM, one such
aggregate of seven sums costs over a millisecond of CPU to build and compile, more than the
database takes to answer it; written once here, it costs a tenth of that. Plain SQL that
PostgreSQL and SQLite both run, over the summary's own tables and columns; the values come
back as the ORM gives them (money ``Decimal`` to the tiyn, days ``date``).
"""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connections, models, router

from events.models import Event
from organizers.models import Organizer
from tickets.reports.models import EventSalesDay, OrganizerSalesDay

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# the figures both tables have, in this order in every query below
FIGURES = ("orders", "gross", "refunds", "discounts", "sold", "refunded")
MONEY = frozenset({"gross", "refunds", "discounts"})


def _money(value: Any) -> Decimal:
    """A sum of money as the ORM gives it: ``Decimal`` to the tiyn (SQLite sums decimals as
    numbers; ``str`` keeps what they print, not the float's binary tail)."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT)


def _day(value: Any) -> date | None:
    if value is None or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value))  # SQLite gives days as text


def _figures(values: Sequence[Any]) -> dict[str, Any]:
    return {
        name: _money(value) if name in MONEY else int(value or 0)
        for name, value in zip(FIGURES, values, strict=True)
    }


def _fetch(model: type[models.Model], sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    connection = connections[router.db_for_read(model)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table(model: type[models.Model]) -> str:
    return connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table)


def _rows_of(
    organizer: Organizer | None, event: Event | None
) -> tuple[type[models.Model], list[str], list[Any]]:
    """The table to read and the conditions (with their parameters) that choose an event's
    rows, or an organizer's own (its sums per day)."""
    if event is None and organizer is not None:
        return OrganizerSalesDay, ["organizer_id = %s"], [organizer.pk]
    where, params = [], []
    if organizer is not None:
        where.append("organizer_id = %s")
        params.append(organizer.pk)
    if event is not None:
        where.append("event_id = %s")
        params.append(event.pk)
    return EventSalesDay, where, params


_SUMS = ", ".join(f"SUM({name})" for name in FIGURES)


def summary_sums(
    *, organizer: Organizer | None = None, event: Event | None = None, day: date | None = None
) -> dict[str, Any]:
    """The figures (``FIGURES``) of an event's days, or of an organizer's, summed (of ``day``
    only, when given), and ``last_sale_day``, the last day with a paid order: one query."""
    model, where, params = _rows_of(organizer, event)
    if day is not None:
        where.append("day = %s")
        params.append(day)
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    (row,) = _fetch(
        model,
        f"SELECT {_SUMS}, MAX(CASE WHEN orders > 0 THEN day END) FROM {_table(model)}{condition}",
        params,
    )
    return {**_figures(row[:-1]), "last_sale_day": _day(row[-1])}


def summary_sums_by_event(
    *, organizer: Organizer, event_ids: list[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Event id → its figures summed over its days (of ``event_ids`` only, when given): one
    grouped query, none for no events."""
    if event_ids is not None and not event_ids:
        return {}
    where, params = ["organizer_id = %s"], [organizer.pk]
    if event_ids is not None:
        where.append(f"event_id IN ({', '.join(['%s'] * len(event_ids))})")
        params.extend(event_ids)
    rows = _fetch(
        EventSalesDay,
        f"SELECT event_id, {_SUMS} FROM {_table(EventSalesDay)} WHERE {' AND '.join(where)}"
        " GROUP BY event_id",
        params,
    )
    return {row[0]: _figures(row[1:]) for row in rows}


def summary_days(
    *, organizer: Organizer | None = None, event: Event | None = None, after: date
) -> list[tuple[date, int, Decimal]]:
    """``(day, paid orders, gross)`` of each day after ``after`` with a paid order, of an
    event or an organizer, in order: one query."""
    model, where, params = _rows_of(organizer, event)
    where.append("day > %s")
    params.append(after)
    rows = _fetch(
        model,
        f"SELECT day, SUM(orders), SUM(gross) FROM {_table(model)} WHERE {' AND '.join(where)}"
        " GROUP BY day HAVING SUM(orders) > 0 ORDER BY day",
        params,
    )
    return [(_day(day), int(orders), _money(gross)) for day, orders, gross in rows]  # type: ignore[misc]

"""Working days in Kazakhstan, for legal deadlines counted in working days.

A day is a working day unless it is a Saturday, a Sunday, a public holiday from
``settings.PRIVACY_HOLIDAYS`` (``"MM-DD"`` every year, ``"YYYY-MM-DD"`` one date) or a day off
moved from a holiday that fell on a weekend (Labour Code art. 85: the day off moves to the next
working day; the religious holidays named in ``PRIVACY_HOLIDAYS_NOT_MOVED`` do not move).
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone


def _entries_for_year(entries: list[str] | tuple[str, ...], year: int) -> set[date]:
    days: set[date] = set()
    for entry in entries:
        parts = [int(part) for part in entry.strip().split("-")]
        if len(parts) == 2:
            days.add(date(year, parts[0], parts[1]))
        elif len(parts) == 3 and parts[0] == year:
            days.add(date(*parts))
    return days


@lru_cache(maxsize=32)
def days_off(year: int) -> frozenset[date]:
    """Public holidays of ``year`` plus the days off moved from holidays on weekends."""
    holidays = _entries_for_year(getattr(settings, "PRIVACY_HOLIDAYS", []), year)
    not_moved = _entries_for_year(getattr(settings, "PRIVACY_HOLIDAYS_NOT_MOVED", []), year)
    result = set(holidays)
    for holiday in sorted(holidays - not_moved):
        if holiday.weekday() < 5:
            continue
        moved = holiday + timedelta(days=1)
        while moved.weekday() >= 5 or moved in result:
            moved += timedelta(days=1)
        result.add(moved)
    return frozenset(result)


@receiver(setting_changed)
def _forget_days_off(*, setting: str, **kwargs: Any) -> None:
    if setting in ("PRIVACY_HOLIDAYS", "PRIVACY_HOLIDAYS_NOT_MOVED"):
        days_off.cache_clear()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def working_day_add(day: date, days: int) -> date:
    """The ``days``-th working day after ``day`` (``day`` itself is not counted)."""
    current = day
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_deadline(received_at: datetime, days: int) -> datetime:
    """End (23:59:59 in Almaty) of the ``days``-th working day after the day of receipt.

    The period runs from the day after receipt, as legal periods do; a request received on a
    Friday with a one-working-day period is due by the end of the next working Monday.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    received_local = timezone.localtime(received_at, zone)
    due_day = working_day_add(received_local.date(), days)
    return datetime.combine(due_day, time(23, 59, 59), tzinfo=zone)

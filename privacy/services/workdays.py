"""Working days in Kazakhstan, for legal deadlines counted in working days.

A day is a working day unless it is a Saturday or a Sunday, a public holiday of Kazakhstan or a
day off moved from a holiday that fell on a weekend (Labour Code art. 85; both from the
``holidays`` package), with the government's decrees applied on top: the dates staff enter as
``MovedDayOff`` rows make a day a working day or a day off whatever the rest says.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

from privacy.models import MovedDayOff

# Longest stretch a deadline of a few working days can span (New Year, Nauryz, decrees).
_LOOKAHEAD_DAYS = 60


@lru_cache(maxsize=64)
def public_days_off(year: int) -> frozenset[date]:
    """Kazakhstan's public holidays of ``year`` and the days off moved from weekends."""
    return frozenset(holidays.country_holidays("KZ", years=year, observed=True))


def calendar_overrides(start: date, end: date) -> dict[date, bool]:
    """The government's moved days between ``start`` and ``end``: date → is a working day."""
    rows = MovedDayOff.objects.filter(date__gte=start, date__lte=end)
    return dict(rows.values_list("date", "is_working_day"))


def _is_working_day(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5 and day not in public_days_off(day.year)


def is_working_day(day: date) -> bool:
    return _is_working_day(day, calendar_overrides(day, day))


def working_day_add(day: date, days: int) -> date:
    """The ``days``-th working day after ``day`` (``day`` itself is not counted)."""
    horizon = day + timedelta(days=_LOOKAHEAD_DAYS + 2 * days)
    overrides = calendar_overrides(day, horizon)
    current = day
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if current > horizon:  # a calendar of many days off in a row: look further
            horizon = current + timedelta(days=_LOOKAHEAD_DAYS)
            overrides = calendar_overrides(current, horizon)
        if _is_working_day(current, overrides):
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

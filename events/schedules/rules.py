"""From a schedule to the start times of its slots: RFC 5545 recurrence rules (dateutil's
``rrule``) over local dates, times of day in Asia/Almaty, exceptions on top.

Pure functions over unsaved or saved rows: nothing here reads or writes the database, so the
cabinet's preview and the materialiser compute the same slots.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import holidays
from dateutil.rrule import MINUTELY, WEEKLY, rrule, weekday
from dateutil.rrule import weekdays as rrule_weekdays
from django.conf import settings

from events.schedules.models import WEEKDAY_CODES, Schedule, ScheduleException

# However a rule is written, a day never has more slots than this (every 10 minutes for 16
# hours and a bit), so a horizon of N days is never more than N times this many rows.
MAX_SLOTS_PER_DAY = 100
_WEEKDAYS: dict[str, weekday] = dict(zip(WEEKDAY_CODES, rrule_weekdays, strict=True))


def horizon_days() -> int:
    """How many days ahead slots exist (``SCHEDULES_HORIZON_DAYS``, at most a year)."""
    return max(1, min(settings.SCHEDULES_HORIZON_DAYS, 366))


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Exceptions:
    """The exceptions of a schedule: closed days and extra local start datetimes."""

    closed: frozenset[date] = frozenset()
    extra: tuple[datetime, ...] = ()

    @classmethod
    def from_rows(cls, rows: Iterable[ScheduleException]) -> "Exceptions":
        closed, extra = set(), []
        for row in rows:
            if row.kind == ScheduleException.Kind.CLOSED:
                closed.add(row.date)
            elif row.starts_at_time is not None:
                extra.append(datetime.combine(row.date, row.starts_at_time))
        return cls(closed=frozenset(closed), extra=tuple(sorted(extra)))


def times_of_day(schedule: Schedule) -> list[time]:
    """The local start times of one open day."""
    if schedule.pattern == Schedule.Pattern.TIMES:
        return schedule.start_times[:MAX_SLOTS_PER_DAY]
    day = date(2000, 1, 3)
    opens = datetime.combine(day, schedule.opens_at)
    closes = datetime.combine(day, schedule.closes_at)
    # The last slot ends by closing time.
    last_start = closes - timedelta(minutes=schedule.duration_minutes)
    if last_start < opens or not schedule.interval_minutes:
        return []
    rule = rrule(MINUTELY, interval=schedule.interval_minutes, dtstart=opens, until=last_start)
    return [moment.time() for moment in islice(rule, MAX_SLOTS_PER_DAY)]


def open_days_rule(schedule: Schedule, *, first_day: date, last_day: date) -> rrule | None:
    """The weekly RFC 5545 rule of the schedule's open days between the two dates (inclusive),
    clipped to its validity; ``None`` when no day is left."""
    start = max(first_day, schedule.valid_from)
    end = min(last_day, schedule.valid_until) if schedule.valid_until else last_day
    days = [_WEEKDAYS[code] for code in schedule.weekday_codes]
    if end < start or not days:
        return None
    return rrule(
        WEEKLY,
        byweekday=days,
        dtstart=datetime.combine(start, time.min),
        until=datetime.combine(end, time.min),
    )


def rule_text(schedule: Schedule) -> str:
    """The open days as an RFC 5545 ``RRULE`` line (what calendars and partner feeds read)."""
    days = [_WEEKDAYS[code] for code in schedule.weekday_codes]
    if not days:
        return ""
    until = schedule.valid_until
    rule = rrule(
        WEEKLY,
        byweekday=days,
        dtstart=datetime.combine(schedule.valid_from, time.min),
        until=datetime.combine(until, time.min) if until else None,
    )
    lines = [line for line in str(rule).splitlines() if line.startswith("RRULE:")]
    return lines[0] if lines else ""


def public_holidays(first_day: date, last_day: date) -> frozenset[date]:
    """Kazakhstan's public holidays (and the days off they move) between the two dates."""
    years = range(first_day.year, last_day.year + 1)
    return frozenset(holidays.country_holidays("KZ", years=years, observed=True))


def slot_starts(
    schedule: Schedule,
    *,
    first_day: date,
    last_day: date,
    exceptions: Exceptions = Exceptions(),
) -> list[datetime]:
    """Aware start datetimes of the slots from ``first_day`` to ``last_day`` (local dates,
    inclusive), sorted: the rule's open days × times of day, without closed days (and public
    holidays when asked), plus the extra slots inside the range."""
    zone = local_zone()
    closed = set(exceptions.closed)
    if schedule.closed_on_public_holidays:
        closed |= public_holidays(first_day, last_day)
    starts: set[datetime] = set()
    rule = open_days_rule(schedule, first_day=first_day, last_day=last_day)
    day_times = times_of_day(schedule)
    if rule is not None:
        for midnight in rule:
            day = midnight.date()
            if day in closed:
                continue
            starts.update(datetime.combine(day, moment, tzinfo=zone) for moment in day_times)
    for extra in exceptions.extra:
        if first_day <= extra.date() <= last_day:
            starts.add(extra.replace(tzinfo=zone))
    return sorted(starts)

"""Expanding a schedule into slot starts: Almaty wall-clock times, open days, validity,
closed days, extra slots and Kazakhstan's public holidays."""

from datetime import UTC, date, datetime, time, timedelta

from events.models import Schedule, ScheduleException
from events.schedules.rules import (
    MAX_SLOTS_PER_DAY,
    Exceptions,
    local_zone,
    rule_text,
    slot_starts,
    times_of_day,
)


def _schedule(**fields) -> Schedule:
    values = {
        "pattern": Schedule.Pattern.TIMES,
        "weekdays": "MO,WE",
        "times": "10:00 14:30",
        "valid_from": date(2026, 1, 1),
        "capacity": 10,
        "duration_minutes": 60,
    }
    values.update(fields)
    return Schedule(**values)


def _local(starts):
    return [s.astimezone(local_zone()).strftime("%a %Y-%m-%d %H:%M") for s in starts]


def test_set_times_on_chosen_weekdays():
    starts = slot_starts(_schedule(), first_day=date(2027, 1, 4), last_day=date(2027, 1, 10))
    assert _local(starts) == [
        "Mon 2027-01-04 10:00",
        "Mon 2027-01-04 14:30",
        "Wed 2027-01-06 10:00",
        "Wed 2027-01-06 14:30",
    ]


def test_wall_clock_time_is_the_same_in_winter_and_summer():
    """Almaty has no daylight saving: 10:00 local is 05:00 UTC all year round."""
    schedule = _schedule(times="10:00", weekdays="MO,TU,WE,TH,FR,SA,SU")
    winter = slot_starts(schedule, first_day=date(2027, 1, 15), last_day=date(2027, 1, 15))
    summer = slot_starts(schedule, first_day=date(2027, 7, 15), last_day=date(2027, 7, 15))
    assert [s.astimezone(UTC).hour for s in winter + summer] == [5, 5]
    assert [s.astimezone(local_zone()).time() for s in winter + summer] == [time(10)] * 2


def test_every_n_minutes_between_opening_hours_ends_by_closing():
    schedule = _schedule(
        pattern=Schedule.Pattern.INTERVAL,
        opens_at=time(10, 0),
        closes_at=time(12, 0),
        interval_minutes=30,
        duration_minutes=45,
    )
    assert times_of_day(schedule) == [time(10, 0), time(10, 30), time(11, 0)]


def test_a_day_never_has_more_slots_than_the_bound():
    schedule = _schedule(
        pattern=Schedule.Pattern.INTERVAL,
        opens_at=time(0, 0),
        closes_at=time(23, 59),
        interval_minutes=10,
        duration_minutes=5,
    )
    assert len(times_of_day(schedule)) == MAX_SLOTS_PER_DAY
    many = " ".join(f"{h:02d}:{m:02d}" for h in range(24) for m in range(0, 60, 5))
    assert len(times_of_day(_schedule(times=many))) == MAX_SLOTS_PER_DAY


def test_validity_clips_the_range():
    schedule = _schedule(valid_from=date(2027, 1, 6), valid_until=date(2027, 1, 11))
    starts = slot_starts(schedule, first_day=date(2027, 1, 1), last_day=date(2027, 1, 31))
    assert {s.astimezone(local_zone()).date() for s in starts} == {
        date(2027, 1, 6),
        date(2027, 1, 11),
    }


def test_closed_days_are_skipped_and_extra_slots_added():
    rows = [
        ScheduleException(kind=ScheduleException.Kind.CLOSED, date=date(2027, 1, 4)),
        ScheduleException(
            kind=ScheduleException.Kind.EXTRA, date=date(2027, 1, 9), starts_at_time=time(19, 0)
        ),
        ScheduleException(  # outside the range asked for
            kind=ScheduleException.Kind.EXTRA, date=date(2027, 2, 9), starts_at_time=time(19, 0)
        ),
    ]
    starts = slot_starts(
        _schedule(),
        first_day=date(2027, 1, 4),
        last_day=date(2027, 1, 10),
        exceptions=Exceptions.from_rows(rows),
    )
    assert _local(starts) == [
        "Wed 2027-01-06 10:00",
        "Wed 2027-01-06 14:30",
        "Sat 2027-01-09 19:00",
    ]


def test_public_holidays_close_the_day_only_when_asked():
    """Nauryz: 21–23 March; 2027-03-22 is a Monday."""
    days = {"first_day": date(2027, 3, 22), "last_day": date(2027, 3, 22)}
    assert len(slot_starts(_schedule(), **days)) == 2
    assert slot_starts(_schedule(closed_on_public_holidays=True), **days) == []
    independence = {"first_day": date(2026, 12, 16), "last_day": date(2026, 12, 16)}
    assert slot_starts(_schedule(closed_on_public_holidays=True), **independence) == []
    ordinary = {"first_day": date(2027, 3, 29), "last_day": date(2027, 3, 29)}
    assert len(slot_starts(_schedule(closed_on_public_holidays=True), **ordinary)) == 2


def test_rule_reads_as_rfc_5545():
    text = rule_text(_schedule(valid_until=date(2027, 6, 30)))
    assert text.startswith("RRULE:FREQ=WEEKLY;")
    assert "BYDAY=MO,WE" in text
    assert "UNTIL=20270630" in text
    assert "UNTIL" not in rule_text(_schedule())  # open-ended until the organizer ends it


def test_slots_are_aware_and_sorted():
    starts = slot_starts(
        _schedule(weekdays="MO,TU,WE,TH,FR,SA,SU", times="18:00 09:00"),
        first_day=date(2027, 5, 1),
        last_day=date(2027, 5, 3),
    )
    assert starts == sorted(starts)
    assert all(s.tzinfo is not None for s in starts)
    assert starts[1] - starts[0] == timedelta(hours=9)
    assert starts[0] == datetime(2027, 5, 1, 9, tzinfo=local_zone())

"""Working-day deadlines: weekends, Kazakhstan holidays and days off moved from weekends."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from privacy.services import is_working_day, working_days_deadline
from privacy.services.workdays import days_off, working_day_add

ALMATY = ZoneInfo("Asia/Almaty")


def test_weekends_and_holidays_are_not_working_days():
    assert is_working_day(date(2026, 4, 30))  # Thursday
    assert not is_working_day(date(2026, 5, 1))  # Unity Day, Friday
    assert not is_working_day(date(2026, 5, 2))  # Saturday
    assert not is_working_day(date(2026, 5, 27))  # Kurban Ait 2026
    assert not is_working_day(date(2026, 12, 16))  # Independence Day


def test_deadline_crosses_a_holiday_and_a_weekend():
    received = datetime(2026, 4, 30, 18, 30, tzinfo=ALMATY)
    assert working_days_deadline(received, 1) == datetime(2026, 5, 4, 23, 59, 59, tzinfo=ALMATY)
    assert working_days_deadline(received, 3) == datetime(2026, 5, 6, 23, 59, 59, tzinfo=ALMATY)


def test_holiday_on_a_sunday_moves_the_day_off_to_monday():
    # 8 March 2026 is a Sunday: Monday 9 March is a day off.
    assert date(2026, 3, 9) in days_off(2026)
    friday = datetime(2026, 3, 6, 10, 0, tzinfo=ALMATY)
    assert working_days_deadline(friday, 1).date() == date(2026, 3, 10)


def test_nauryz_on_a_weekend_moves_both_days_off_past_the_holidays():
    # 21–23 March 2026: Saturday, Sunday, Monday → 24 and 25 March are days off too.
    assert {date(2026, 3, 24), date(2026, 3, 25)} <= days_off(2026)
    assert working_day_add(date(2026, 3, 20), 1) == date(2026, 3, 26)


def test_religious_holidays_do_not_move(settings):
    # 7 January 2024 (Orthodox Christmas) was a Sunday; Monday 8 January stayed a working day.
    assert is_working_day(date(2024, 1, 8))


def test_late_evening_utc_counts_as_the_next_local_day():
    received_utc = datetime(2026, 4, 29, 20, 0, tzinfo=ZoneInfo("UTC"))  # 30 April in Almaty
    assert working_days_deadline(received_utc, 1).date() == date(2026, 5, 4)


@pytest.mark.parametrize("setting", ["PRIVACY_HOLIDAYS"])
def test_holiday_list_is_configurable(settings, setting):
    settings.PRIVACY_HOLIDAYS = ["2026-04-29"]
    assert not is_working_day(date(2026, 4, 29))
    assert is_working_day(date(2026, 5, 1))

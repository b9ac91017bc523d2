"""Working-day deadlines: weekends, Kazakhstan holidays (the ``holidays`` package) and the days
the government moves, which staff keep in the admin."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from privacy.models import MovedDayOff
from privacy.services import is_working_day, working_days_deadline
from privacy.services.workdays import public_days_off, working_day_add

ALMATY = ZoneInfo("Asia/Almaty")

pytestmark = pytest.mark.django_db


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
    assert date(2026, 3, 9) in public_days_off(2026)
    friday = datetime(2026, 3, 6, 10, 0, tzinfo=ALMATY)
    assert working_days_deadline(friday, 1).date() == date(2026, 3, 10)


def test_nauryz_on_a_weekend_moves_both_days_off_past_the_holidays():
    # 21–23 March 2026: Saturday, Sunday, Monday → 24 and 25 March are days off too.
    assert {date(2026, 3, 24), date(2026, 3, 25)} <= public_days_off(2026)
    assert working_day_add(date(2026, 3, 20), 1) == date(2026, 3, 26)


def test_religious_holidays_do_not_move():
    # 7 January 2024 (Orthodox Christmas) was a Sunday; Monday 8 January stayed a working day.
    assert is_working_day(date(2024, 1, 8))


def test_late_evening_utc_counts_as_the_next_local_day():
    received_utc = datetime(2026, 4, 29, 20, 0, tzinfo=ZoneInfo("UTC"))  # 30 April in Almaty
    assert working_days_deadline(received_utc, 1).date() == date(2026, 5, 4)


@pytest.mark.parametrize("year", [2028, 2031, 2035])
def test_holidays_go_on_past_2027(year):
    # The old hard-coded list ended in 2027; the package knows the years after it.
    assert date(year, 12, 16) in public_days_off(year)  # Independence Day
    assert date(year, 3, 22) in public_days_off(year)  # Nauryz
    assert not is_working_day(date(year, 1, 1))


def test_a_moved_day_off_entered_by_staff_counts():
    # A decree makes Monday 4 May 2026 a day off (worked on a Saturday instead).
    MovedDayOff.objects.create(date=date(2026, 5, 4), note="Постановление № 1")
    MovedDayOff.objects.create(date=date(2026, 5, 9), is_working_day=True)
    assert not is_working_day(date(2026, 5, 4))
    assert is_working_day(date(2026, 5, 9))  # a Saturday (and Victory Day) worked by decree
    received = datetime(2026, 4, 30, 18, 30, tzinfo=ALMATY)
    assert working_days_deadline(received, 1).date() == date(2026, 5, 5)


def test_a_working_saturday_shortens_a_deadline():
    MovedDayOff.objects.create(date=date(2026, 5, 2), is_working_day=True)
    received = datetime(2026, 4, 30, 18, 30, tzinfo=ALMATY)
    assert working_days_deadline(received, 1).date() == date(2026, 5, 2)


def test_staff_keep_the_moved_days_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:privacy_moveddayoff_add"),
        {"date": "04.05.2026", "is_working_day": "", "note": "Постановление Правительства"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MovedDayOff.objects.get().date == date(2026, 5, 4)
    assert not is_working_day(date(2026, 5, 4))
    listing = admin_client.get(reverse("admin:privacy_moveddayoff_changelist"))
    assert "04.05.2026" in listing.content.decode()

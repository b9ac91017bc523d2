"""Check-in of a ticket for a service's time slot: the answer says whether the slot is today
and whether it is now; one-off events' answers are unchanged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.factories import SessionFactory
from tests.tickets.delivery_helpers import paid_order
from tickets.checkin.services import checkin_scan
from tickets.checkin.slots import slot_timing

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(settings):
    settings.SCHEDULES_HORIZON_DAYS = 3
    schedule, _report = schedule_create(
        event=ServiceFactory(), data=_rule(times="10:00"), ticket_types=TEMPLATES
    )
    return schedule.slots.order_by("starts_at").last()


def test_the_slot_is_placed_against_the_clock(slot):
    start = slot.starts_at
    assert slot_timing(slot, start - timedelta(days=1)).code == "other_day"
    assert slot_timing(slot, start - timedelta(hours=2)).code == "later_today"
    assert slot_timing(slot, start - timedelta(minutes=10)).code == "now"
    assert slot_timing(slot, start + timedelta(minutes=59)).code == "now"
    assert slot_timing(slot, start + timedelta(hours=1)).code == "over_today"
    assert "10:00" in slot_timing(slot, start).text


def test_a_one_off_session_has_no_slot_timing():
    assert slot_timing(SessionFactory()) is None


def test_the_door_hears_that_the_slot_is_not_today(slot):
    order = paid_order(slot.ticket_types.first(), quantity=1)
    assert timezone.localdate(slot.starts_at) != timezone.localdate()
    answer = checkin_scan(
        organizer=order.event.organizer, event=order.event, code=order.items.first().secret
    )
    assert answer.ok
    assert answer.as_json()["slot_timing"] == "other_day"
    assert "не сегодня" in answer.message


def test_an_events_ticket_answers_as_before():
    order = paid_order(quantity=1)
    answer = checkin_scan(
        organizer=order.event.organizer, event=order.event, code=order.items.first().secret
    )
    assert answer.ok
    assert "slot_timing" not in answer.as_json()

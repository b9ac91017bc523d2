"""A service's dashboard, attendee export and message to buyers by day and time slot: a typed
date (and time) instead of a list of every slot, the figures and buyers of that day only."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Session
from events.schedules.services import open_dated_ticket_type_create, schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.tickets.delivery_helpers import paid_order
from tests.tickets.reports_data import ROLES, member
from tickets.models import AttendeeExport, AttendeeMessage, MessageDelivery
from tickets.reports.services.exports import attendee_export_run

pytestmark = pytest.mark.django_db


class Museum:
    """Two days of slots at 10:00 and 15:00, a booking in three of them, an open-dated pass."""

    def __init__(self, slots_per_day: str = "10:00 15:00") -> None:
        self.event = ServiceFactory()
        self.organizer = self.event.organizer
        schedule, _report = schedule_create(
            event=self.event, data=_rule(times=slots_per_day), ticket_types=TEMPLATES
        )
        self.day1 = timezone.localdate() + timedelta(days=1)
        self.day2 = self.day1 + timedelta(days=1)
        slots = {
            (timezone.localdate(s.starts_at), timezone.localtime(s.starts_at).strftime("%H:%M")): s
            for s in Session.objects.filter(schedule=schedule)
        }
        self.morning = slots[(self.day1, "10:00")]
        self.afternoon = slots[(self.day1, "15:00")]
        self.next_day = slots[(self.day2, "10:00")]
        self.orders = {
            "morning": paid_order(self.morning.ticket_types.first(), 1, "m@example.kz"),
            "afternoon": paid_order(self.afternoon.ticket_types.first(), 2, "a@example.kz"),
            "next_day": paid_order(self.next_day.ticket_types.first(), 1, "n@example.kz"),
        }
        month_pass = open_dated_ticket_type_create(
            event=self.event,
            data={
                "name_ru": "Абонемент",
                "price": Decimal("5000"),
                "quantity": 10,
                "max_per_order": 5,
                "position": 0,
                "valid_days": 30,
            },
        )
        self.orders["pass"] = paid_order(month_pass, 1, "p@example.kz")


@pytest.fixture
def museum(settings):
    settings.SCHEDULES_HORIZON_DAYS = 4
    return Museum()


@pytest.fixture
def owner(client, museum):
    client.force_login(member(museum.organizer, ROLES.OWNER))
    return client


def _codes(content: bytes) -> set[str]:
    _header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return {row[0] for row in rows}


def _export(client, museum, **data):
    url = reverse(
        "tickets:cabinet_attendee_export", args=[museum.organizer.slug, museum.event.slug]
    )
    return client.post(url, {"file_format": "csv", "columns": ["code", "session"], **data})


def test_the_export_form_of_a_service_asks_for_a_day_not_a_list_of_slots(owner, museum):
    url = reverse(
        "tickets:cabinet_attendee_export", args=[museum.organizer.slug, museum.event.slug]
    )
    html = owner.get(url).content.decode()
    assert 'type="date"' in html and 'name="day"' in html and 'name="slot_time"' in html
    assert 'name="session"' not in html
    assert museum.morning.starts_at.strftime("%d.%m.%Y") not in html


def test_the_export_of_a_day_and_of_one_slot(owner, museum):
    o = museum.orders
    everything = _export(owner, museum)
    assert _codes(everything.content) == {order.code for order in o.values()}
    day = _export(owner, museum, day=museum.day1.isoformat())
    assert _codes(day.content) == {o["morning"].code, o["afternoon"].code}
    slot = _export(owner, museum, day=museum.day1.isoformat(), slot_time="15:00")
    assert _codes(slot.content) == {o["afternoon"].code}


def test_a_large_export_of_a_day_keeps_its_day(owner, museum, monkeypatch):
    monkeypatch.setattr("tickets.reports.services.exports.SYNC_ROW_LIMIT", 0)
    response = _export(owner, museum, day=museum.day2.isoformat())
    assert response.status_code == 302
    export = AttendeeExport.objects.get()
    assert export.day == museum.day2 and export.session is None
    attendee_export_run(export_id=export.pk)  # what the task does after commit
    export.refresh_from_db()
    assert export.row_count == 1  # only the next day's booking


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slot_time": "10:00"}, "day"),
        ({"day": "DAY1", "slot_time": "11:30"}, "slot_time"),
        ({"day": "not a day"}, "day"),
    ],
    ids=["time-without-day", "no-slot-at-that-time", "bad-day"],
)
def test_a_wrong_day_or_time_is_a_form_error(owner, museum, data, field):
    data = {k: (museum.day1.isoformat() if v == "DAY1" else v) for k, v in data.items()}
    response = _export(owner, museum, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AttendeeExport.objects.exists()


def test_a_message_to_the_buyers_of_one_day(owner, museum, django_capture_on_commit_callbacks):
    url = reverse("tickets:cabinet_messages", args=[museum.organizer.slug, museum.event.slug])
    assert 'name="session"' not in owner.get(url).content.decode()
    payload = {"kind": "service", "subject": "Зал закрыт", "body": "Вход со двора."}
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(url, {**payload, "day": museum.day1.isoformat()})
    assert response.status_code == 302
    message = AttendeeMessage.objects.get()
    assert message.day == museum.day1
    emails = set(MessageDelivery.objects.filter(message=message).values_list("email", flat=True))
    assert emails == {"m@example.kz", "a@example.kz"}


def test_the_dashboard_of_a_service_shows_one_day_by_slot(owner, museum):
    url = reverse(
        "tickets:cabinet_event_dashboard", args=[museum.organizer.slug, museum.event.slug]
    )
    response = owner.get(url, {"day": museum.day1.isoformat()})
    assert response.status_code == 200
    day = response.context["service_day"]
    assert [block.session for block in day.slots] == [museum.morning, museum.afternoon]
    assert [block.sold for block in day.slots] == [1, 2]
    assert day.sold == 3
    assert day.revenue == Decimal("6000.00")  # three adults at 2,000
    assert [block.sold for block in day.open_dated] == [1]
    assert response.context["sessions"] == []
    html = response.content.decode()
    assert 'type="date"' in html
    assert f"session={museum.day1:%d.%m.%Y}" in html


def test_a_wrong_dashboard_day_shows_today(owner, museum):
    url = reverse(
        "tickets:cabinet_event_dashboard", args=[museum.organizer.slug, museum.event.slug]
    )
    response = owner.get(url, {"day": "32.13.2026"})
    assert response.status_code == 200
    assert response.context["service_day"].day == timezone.localdate()


def test_the_dashboard_costs_the_same_for_a_day_of_many_slots(client, settings):
    settings.SCHEDULES_HORIZON_DAYS = 3
    few, many = Museum("10:00 15:00"), Museum(" ".join(f"{h:02d}:00" for h in range(8, 20)))
    counts = []
    for museum in (few, many):
        client.force_login(member(museum.organizer, ROLES.OWNER))
        url = reverse(
            "tickets:cabinet_event_dashboard", args=[museum.organizer.slug, museum.event.slug]
        )
        client.get(url)  # the first visit of a session pays for things once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"day": museum.day1.isoformat()}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

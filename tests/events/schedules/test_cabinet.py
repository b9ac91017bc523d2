"""The cabinet's schedule editor: create a schedule with its ticket types, see the next slots,
edit it with sold slots (the organizer is told which no longer fit), add and remove
exceptions; bad input is a form error, never a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Schedule, ScheduleException, Session
from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tickets.services.inventory import inventory_take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def short_horizon(settings):
    settings.SCHEDULES_HORIZON_DAYS = 7


def _post(**overrides):
    data = {
        "name": "Ежедневный вход",
        "pattern": "times",
        "weekdays": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
        "times": "11:00, 16:00",
        "opens_at": "10:00",
        "closes_at": "18:00",
        "interval_minutes": "60",
        "duration_minutes": "60",
        "valid_from": "2020-01-01",
        "valid_until": "",
        "capacity": "25",
        "resource_name": "",
        "resource_capacity": "",
        "is_active": "on",
        "tt-TOTAL_FORMS": "2",
        "tt-INITIAL_FORMS": "0",
        "tt-MIN_NUM_FORMS": "0",
        "tt-MAX_NUM_FORMS": "10",
        "tt-0-name_ru": "Взрослый",
        "tt-0-name_kk": "Ересек",
        "tt-0-name_en": "Adult",
        "tt-0-price": "2500",
        "tt-0-max_per_order": "10",
        "tt-1-name_ru": "",
        "tt-1-price": "",
        "tt-1-max_per_order": "10",
    }
    data.update(overrides)
    return data


def test_a_manager_creates_a_schedule_and_sees_its_next_slots(manager_client):
    service = ServiceFactory(organizer=manager_client.organizer)
    url = reverse(
        "events_cabinet:schedule_create",
        kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
    )
    response = manager_client.post(url, _post(), follow=True)
    schedule = Schedule.objects.get(event=service)
    assert (schedule.times, schedule.weekdays, schedule.capacity) == (
        "11:00 16:00",
        "MO,TU,WE,TH,FR,SA,SU",
        25,
    )
    assert list(schedule.ticket_types.values_list("name_en", "price")) == [("Adult", 2500)]
    slots = Session.objects.filter(schedule=schedule)
    assert slots.count() >= 14
    html = response.content.decode()
    assert "RRULE:FREQ=WEEKLY" in html
    first = timezone.localtime(slots.order_by("starts_at").first().starts_at)
    assert f"{first:%H:%M}" in html
    event_page = manager_client.get(
        reverse(
            "events_cabinet:event_detail",
            kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
        )
    )
    assert "Ежедневный вход" in event_page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"times": "25:99"}, "times"),
        ({"times": ""}, "times"),
        ({"weekdays": []}, "weekdays"),
        ({"pattern": "interval", "opens_at": "18:00", "closes_at": "10:00"}, "closes_at"),
        ({"valid_until": "2019-01-01"}, "valid_until"),
        ({"resource_name": "Гид"}, "resource_capacity"),
        ({"capacity": "0"}, "capacity"),
    ],
)
def test_bad_rules_are_form_errors(manager_client, overrides, field):
    service = ServiceFactory(organizer=manager_client.organizer)
    url = reverse(
        "events_cabinet:schedule_create",
        kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
    )
    response = manager_client.post(url, _post(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Schedule.objects.exists()


def test_a_schedule_needs_a_ticket_type(manager_client):
    service = ServiceFactory(organizer=manager_client.organizer)
    url = reverse(
        "events_cabinet:schedule_create",
        kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
    )
    response = manager_client.post(
        url, _post(**{"tt-0-name_ru": "", "tt-0-name_kk": "", "tt-0-name_en": "", "tt-0-price": ""})
    )
    assert response.status_code == 200
    assert response.context["ticket_types"].non_form_errors()
    assert not Schedule.objects.exists()


def test_editing_with_sold_slots_tells_which_no_longer_fit(manager_client):
    service = ServiceFactory(organizer=manager_client.organizer)
    schedule, _report = schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    sold = next(
        s
        for s in Session.objects.filter(schedule=schedule).order_by("starts_at")
        if timezone.localtime(s.starts_at).hour == 10
    )
    inventory_take(ticket_type_id=sold.ticket_types.first().pk, quantity=1)
    url = reverse(
        "events_cabinet:schedule_edit",
        kwargs={"organizer_slug": service.organizer.slug, "pk": schedule.pk},
    )
    response = manager_client.post(url, _post(times="11:00 15:00"), follow=True)
    warnings = [str(m) for m in response.context["messages"]]
    assert any(f"{timezone.localtime(sold.starts_at):%H:%M}" in m for m in warnings)
    assert any("no longer fit" in m or "больше не" in m for m in warnings)
    assert Session.objects.filter(pk=sold.pk).exists()


def test_a_closed_day_removes_its_slots_and_can_be_undone(manager_client):
    service = ServiceFactory(organizer=manager_client.organizer)
    schedule, _report = schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    day = timezone.localdate() + timedelta(days=3)
    slug = service.organizer.slug

    def on_day():
        return [
            s
            for s in Session.objects.filter(schedule=schedule)
            if timezone.localdate(s.starts_at) == day
        ]

    assert len(on_day()) == 2
    manager_client.post(
        reverse(
            "events_cabinet:schedule_exception_add",
            kwargs={"organizer_slug": slug, "pk": schedule.pk},
        ),
        {"kind": "closed", "date": day.isoformat(), "note": "Санитарный день"},
    )
    assert on_day() == []
    exception = ScheduleException.objects.get(schedule=schedule)
    manager_client.post(
        reverse(
            "events_cabinet:schedule_exception_remove",
            kwargs={"organizer_slug": slug, "pk": exception.pk},
        )
    )
    assert len(on_day()) == 2


def test_an_extra_slot_without_a_time_is_refused(manager_client):
    service = ServiceFactory(organizer=manager_client.organizer)
    schedule, _report = schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    response = manager_client.post(
        reverse(
            "events_cabinet:schedule_exception_add",
            kwargs={"organizer_slug": service.organizer.slug, "pk": schedule.pk},
        ),
        {"kind": "extra", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert not ScheduleException.objects.exists()


def test_the_event_page_of_a_service_lists_only_the_next_slots(manager_client):
    service = ServiceFactory(organizer=manager_client.organizer)
    schedule_create(
        event=service, data=_rule(times="09:00 10:00 11:00 12:00"), ticket_types=TEMPLATES
    )
    response = manager_client.get(
        reverse(
            "events_cabinet:event_detail",
            kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
        )
    )
    assert len(response.context["event"].listed) == 20


def test_the_front_desk_sees_a_days_bookings_per_slot(
    manager_client, django_assert_max_num_queries
):
    service = ServiceFactory(organizer=manager_client.organizer)
    schedule, _report = schedule_create(
        event=service, data=_rule(times="10:00 12:00 15:00"), ticket_types=TEMPLATES
    )
    day = timezone.localdate() + timedelta(days=2)
    slots = [
        s
        for s in Session.objects.filter(schedule=schedule).order_by("starts_at")
        if timezone.localdate(s.starts_at) == day
    ]
    adult = slots[1].ticket_types.get(name_en="Adult")
    inventory_take(ticket_type_id=adult.pk, quantity=3)
    url = reverse(
        "events_cabinet:service_day",
        kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
    )
    with django_assert_max_num_queries(12):
        response = manager_client.get(url, {"day": day.isoformat()})
    html = response.content.decode()
    assert [s.pk for s in response.context["slots"]] == [s.pk for s in slots]
    assert "<strong>3 / 5</strong>" in html
    assert f"session={slots[1].pk}" in html
    orders = manager_client.get(
        reverse("tickets:cabinet_orders", kwargs={"organizer_slug": service.organizer.slug}),
        {"event": service.slug, "session": slots[1].pk},
    )
    assert orders.status_code == 200
    assert not orders.context["form"].errors
    assert orders.context["form"].cleaned_data["session"] == ("id", slots[1].pk)
    # months of slots are never listed as filter choices: a slot comes from a link or is typed
    assert f'value="{slots[0].pk}"' not in orders.content.decode()

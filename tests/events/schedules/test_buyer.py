"""A service's page for buyers: a month of days with free places (one query a month), the
times of the chosen day with places left, then the usual ticket choice; the catalogue lists
services in their own section."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import CapacityPool, Event, Session
from events.schedules.selectors import slot_days
from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.factories import SessionFactory, TicketTypeFactory
from tickets.models import Reservation

pytestmark = pytest.mark.django_db


def _service(settings, days=7, **rule):
    settings.SCHEDULES_HORIZON_DAYS = days
    service = ServiceFactory(title_ru="Музей кино", title_en="Film Museum")
    schedule, _report = schedule_create(event=service, data=_rule(**rule), ticket_types=TEMPLATES)
    return service, schedule


def _page(client, service, **query):
    return client.get(service.get_absolute_url(), query)


def _tomorrow_slots(schedule):
    tomorrow = timezone.localdate() + timedelta(days=1)
    return tomorrow, [
        s
        for s in Session.objects.filter(schedule=schedule).order_by("starts_at")
        if timezone.localdate(s.starts_at) == tomorrow
    ]


def test_a_day_then_a_time_then_the_tickets(client, settings):
    service, schedule = _service(settings)
    tomorrow, slots = _tomorrow_slots(schedule)
    response = _page(client, service, day=tomorrow.isoformat())
    html = response.content.decode()
    assert f'href="?day={tomorrow.isoformat()}#slot-times"' in html
    for slot in slots:
        assert f"slot={slot.pk}#session-{slot.pk}" in html
    assert 'name="session"' not in html  # no tickets before a time is chosen

    response = _page(client, service, day=tomorrow.isoformat(), slot=slots[0].pk)
    html = response.content.decode()
    assert f'name="session" value="{slots[0].pk}"' in html
    for ticket_type in slots[0].ticket_types.all():
        assert f'name="qty_{ticket_type.pk}"' in html


def test_a_full_slot_and_a_full_day_cannot_be_chosen(client, settings):
    service, schedule = _service(settings, times="10:00")
    tomorrow, (slot,) = _tomorrow_slots(schedule)
    CapacityPool.objects.filter(session=slot).update(taken=5)
    assert tomorrow not in slot_days(event=service, month=tomorrow.replace(day=1))
    html = _page(client, service, day=tomorrow.isoformat()).content.decode()
    assert f"?day={tomorrow.isoformat()}#slot-times" not in html
    assert f"slot={slot.pk}" not in html


def test_the_month_costs_one_query_however_many_slots(settings, django_assert_num_queries):
    service, _schedule = _service(settings, days=30, times="09:00 10:00 11:00 12:00 13:00")
    month = timezone.localdate().replace(day=1)
    with django_assert_num_queries(1):
        days = slot_days(event=service, month=month)
    assert len(days) >= 1


def test_the_service_page_makes_as_many_queries_for_a_month_as_for_a_week(
    client, settings, django_assert_max_num_queries
):
    small, _schedule = _service(settings, days=3, times="10:00")
    client.get(small.get_absolute_url())  # warm the per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _page(client, small)
    big, _schedule = _service(settings, days=60, times="09:00 10:00 11:00 12:00 13:00 14:00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = _page(client, big)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"month": "2026-13"},
        {"month": "x"},
        {"day": "2026-02-30"},
        {"slot": "abc"},
        {"slot": "999999"},
        {"month": "1999-01"},
        {"day": "2099-01-01"},
    ],
)
def test_odd_query_strings_show_the_picker(client, settings, query):
    service, _schedule = _service(settings)
    response = _page(client, service, **query)
    assert response.status_code == 200
    assert response.context["picker"] is not None


def test_another_events_session_is_not_offered(client, settings):
    service, _schedule = _service(settings)
    other = TicketTypeFactory(session=SessionFactory()).session
    html = _page(client, service, slot=other.pk).content.decode()
    assert f'name="session" value="{other.pk}"' not in html


def test_a_buyer_holds_places_of_a_slot(client, settings):
    _service_event, schedule = _service(settings)
    _tomorrow, slots = _tomorrow_slots(schedule)
    adult, child = slots[0].ticket_types.order_by("-price")
    response = client.post(
        reverse("tickets:cart_update"),
        {"session": slots[0].pk, f"qty_{adult.pk}": "2", f"qty_{child.pk}": "1"},
    )
    assert response.status_code == 302
    assert CapacityPool.objects.get(session=slots[0]).taken == 3
    assert Reservation.objects.filter(ticket_type__session=slots[0]).count() == 2


def test_too_many_for_a_slot_returns_to_its_time_with_a_reason(client, settings):
    _service_event, schedule = _service(settings)
    tomorrow, slots = _tomorrow_slots(schedule)
    adult, child = slots[0].ticket_types.order_by("-price")
    response = client.post(
        reverse("tickets:cart_update"),
        {"session": slots[0].pk, f"qty_{adult.pk}": "4", f"qty_{child.pk}": "4"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(
        f"?day={tomorrow.isoformat()}&slot={slots[0].pk}#session-{slots[0].pk}"
    )
    assert [str(m) for m in response.context["messages"]]
    assert CapacityPool.objects.get(session=slots[0]).taken == 0


def test_services_have_their_own_catalogue_section(client, settings):
    service, _schedule = _service(settings)
    concert = TicketTypeFactory().session.event
    services = client.get(reverse("events:catalogue"), {"kind": "service"})
    assert [e.pk for e in services.context["events"]] == [service.pk]
    events = client.get(reverse("events:catalogue"), {"kind": "event"})
    assert [e.pk for e in events.context["events"]] == [concert.pk]
    home = client.get(reverse("events:home"))
    assert [e.pk for e in home.context["services"]] == [service.pk]
    assert [e.pk for e in home.context["events"]] == [concert.pk]
    assert Event.objects.get(pk=service.pk).kind == "service"

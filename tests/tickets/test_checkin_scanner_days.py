"""The scanner page of a service with many time slots offers them one typed day at a time:
no page renders every slot, and the counters it shows and polls are the day's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Session
from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.tickets.delivery_helpers import paid_order, staff_of
from tickets.checkin.selectors import NEXT_SESSIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def slots(settings):
    settings.SCHEDULES_HORIZON_DAYS = 5
    schedule, _report = schedule_create(
        event=ServiceFactory(), data=_rule(capacity=5), ticket_types=TEMPLATES
    )
    soon = timezone.now() + timedelta(hours=24)
    return [s for s in schedule.slots.order_by("starts_at") if s.starts_at > soon]


@pytest.fixture
def door(client, slots):
    client.force_login(staff_of(slots[0].event.organizer))
    return client


def _url(slot) -> str:
    return reverse("tickets:checkin_scanner", args=[slot.event.organizer.slug, slot.event.slug])


def _offered(response) -> set[int]:
    return {s.pk for s in response.context["sessions"]}


def _day(slot):
    return timezone.localdate(slot.starts_at)


def test_the_page_offers_only_the_slots_of_the_typed_day(door, slots):
    later = [s for s in slots if _day(s) == _day(slots[-1])]
    response = door.get(_url(slots[0]), {"day": _day(slots[-1]).isoformat()})
    assert response.status_code == 200
    assert _offered(response) == {s.pk for s in later}
    assert len(later) < len(slots)
    html = response.content.decode()
    assert f'value="{slots[0].pk}"' not in html
    assert f"day={_day(slots[-1]):%Y-%m-%d}" in html  # the counters polled are the day's


def test_without_a_day_the_chosen_slots_day_or_the_next_one_with_slots(door, slots):
    today = timezone.localdate()
    dated = Session.objects.filter(event=slots[0].event, is_open_dated=False)
    next_day = min(_day(s) for s in dated if _day(s) >= today)
    assert _offered(door.get(_url(slots[0]))) == {s.pk for s in dated if _day(s) == next_day}
    chosen = door.get(_url(slots[-1]), {"session": slots[-1].pk})
    assert chosen.context["session"] == slots[-1]
    assert slots[-1].pk in _offered(chosen)
    assert slots[0].pk not in _offered(chosen)


def test_a_typed_day_without_slots_says_so_and_a_wrong_one_is_ignored(door, slots):
    empty = door.get(_url(slots[0]), {"day": (_day(slots[-1]) + timedelta(days=30)).isoformat()})
    assert _offered(empty) == set()
    assert "counters" in empty.context
    assert empty.context["counters"] == [] or all(
        row.session.is_open_dated for row in empty.context["counters"]
    )
    wrong = door.get(_url(slots[0]), {"day": "31.02.2026"})
    assert wrong.status_code == 200
    assert _offered(wrong) == _offered(door.get(_url(slots[0])))


def test_counters_and_polled_stats_are_of_the_day(door, slots):
    adult = slots[-1].ticket_types.get(name_en="Adult")
    paid_order(adult, quantity=2)
    day = _day(slots[-1])
    page = door.get(_url(slots[0]), {"day": day.isoformat()})
    counted = {row.session.pk: row.sold for row in page.context["counters"]}
    assert counted[slots[-1].pk] == 2
    assert slots[0].pk not in counted
    stats_url = reverse(
        "tickets:checkin_stats", args=[slots[0].event.organizer.slug, slots[0].event.slug]
    )
    polled = {row["id"] for row in door.get(stats_url, {"day": day.isoformat()}).json()["sessions"]}
    assert polled == set(counted)
    every = {row["id"] for row in door.get(stats_url).json()["sessions"]}
    assert every >= {s.pk for s in slots}


def test_the_event_choice_links_only_the_next_few_slots(door, slots):
    response = door.get(reverse("tickets:checkin_events", args=[slots[0].event.organizer.slug]))
    html = response.content.decode()
    linked = [
        s for s in Session.objects.filter(event=slots[0].event) if f'?session={s.pk}"' in html
    ]
    assert len(linked) == NEXT_SESSIONS < len(slots)
    assert f'?session={slots[-1].pk}"' not in html

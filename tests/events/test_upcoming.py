"""``Event.upcoming_at``: the stored start of the next session ahead that the home page and
the catalogue sort on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Session
from events.tasks import events_upcoming_refresh_task
from events.upcoming import upcoming_refresh, upcoming_refresh_stale
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _upcoming(event: Event):
    return Event.objects.values_list("upcoming_at", flat=True).get(pk=event.pk)


def test_saving_and_deleting_sessions_keeps_the_next_start():
    now = timezone.now()
    event = EventFactory()
    assert _upcoming(event) is None
    later = SessionFactory(event=event, starts_at=now + timedelta(days=9))
    assert _upcoming(event) == later.starts_at
    sooner = SessionFactory(event=event, starts_at=now + timedelta(days=2))
    SessionFactory(event=event, starts_at=now - timedelta(days=1))  # over: not "ahead"
    assert _upcoming(event) == sooner.starts_at

    sooner.starts_at = now + timedelta(days=20)
    sooner.save()
    assert _upcoming(event) == later.starts_at
    later.delete()
    assert _upcoming(event) == sooner.starts_at
    sooner.delete()
    assert _upcoming(event) is None


def test_the_catalogue_shows_the_next_session_before_the_refresh_and_never_writes(client):
    now = timezone.now()
    event = EventFactory(title_ru="Два вечера")
    first = SessionFactory(event=event, starts_at=now + timedelta(hours=1))
    second = SessionFactory(event=event, starts_at=now + timedelta(days=3))
    gone = EventFactory(title_ru="Один вечер")
    SessionFactory(event=gone, starts_at=now + timedelta(hours=1))
    # An hour later (without signals, as time passes): both first sessions have started.
    Session.objects.filter(pk=first.pk).update(starts_at=now - timedelta(minutes=1))
    Session.objects.filter(event=gone).update(starts_at=now - timedelta(minutes=1))
    Event.objects.filter(pk__in=[event.pk, gone.pk]).update(upcoming_at=now - timedelta(minutes=1))

    response = client.get(reverse("events:catalogue"))

    shown = {e.title_ru: e.next_starts_at for e in response.context["events"]}
    assert shown == {"Два вечера": second.starts_at}
    assert _upcoming(event) == now - timedelta(minutes=1)  # a GET wrote nothing

    assert events_upcoming_refresh_task.delay().get() == 2  # the periodic refresh

    assert _upcoming(event) == second.starts_at
    assert _upcoming(gone) is None
    assert upcoming_refresh_stale() == 0  # nothing left to move on
    response = client.get(reverse("events:catalogue"))
    assert {e.title_ru: e.next_starts_at for e in response.context["events"]} == shown


def test_bulk_created_sessions_are_counted_after_a_refresh(client):
    event = EventFactory(title_ru="Из импорта")
    Session.objects.bulk_create(
        [Session(event=event, starts_at=timezone.now() + timedelta(days=4))]
    )
    assert "Из импорта" not in {e.title_ru for e in client.get("/").context["events"]}

    upcoming_refresh(event_ids=[event.pk])

    assert "Из импорта" in {e.title_ru for e in client.get("/").context["events"]}


def test_a_date_range_still_shows_the_first_session_inside_it(client):
    now = timezone.now()
    event = EventFactory(title_ru="Гастроли")
    SessionFactory(event=event, starts_at=now + timedelta(days=2))
    in_range = SessionFactory(event=event, starts_at=now + timedelta(days=40))
    start = (now + timedelta(days=30)).date().isoformat()

    response = client.get(reverse("events:catalogue"), {"date_from": start})

    assert [(e.title_ru, e.next_starts_at) for e in response.context["events"]] == [
        ("Гастроли", in_range.starts_at)
    ]


def test_an_event_published_after_its_stored_start_passed_shows_its_next_session(client):
    now = timezone.now()
    event = EventFactory(title_ru="Премьера", status=Event.Status.DRAFT)
    first = SessionFactory(event=event, starts_at=now + timedelta(hours=1))
    second = SessionFactory(event=event, starts_at=now + timedelta(days=3))
    Session.objects.filter(pk=first.pk).update(starts_at=now - timedelta(minutes=1))
    Event.objects.filter(pk=event.pk).update(upcoming_at=now - timedelta(minutes=1))
    assert upcoming_refresh_stale() == 0  # the catalogue never reads drafts

    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    response = client.get(reverse("events:catalogue"))

    assert [(e.title_ru, e.next_starts_at) for e in response.context["events"]] == [
        ("Премьера", second.starts_at)
    ]


@pytest.mark.services
def test_the_home_pages_services_are_read_from_their_own_index_not_every_event():
    from events.selectors import events_upcoming
    from tests.queries import query_plan

    for _n in range(3):
        SessionFactory(event=EventFactory(), starts_at=timezone.now() + timedelta(days=3))
    service = EventFactory(kind=Event.Kind.SERVICE)
    SessionFactory(event=service, starts_at=timezone.now() + timedelta(days=1))
    services = events_upcoming(limit=6, kind=Event.Kind.SERVICE)
    assert [event.pk for event in services] == [service.pk]
    # Before this index the services were found by reading every published event in order
    # of start (a full scan of 10,000 events in the bench for none found).
    assert "event_published_kind_upcoming" in query_plan(services.values("pk"), sort=False)

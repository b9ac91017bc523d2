"""The demo services: a museum with hourly slots and a weekend tour, listed in the catalogue's
services section; running the command again makes nothing twice."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import CapacityPool, Event, Session

pytestmark = pytest.mark.django_db


def test_demo_services_are_seeded_once_and_listed(client, settings):
    settings.SCHEDULES_HORIZON_DAYS = 14
    call_command("seed_demo")
    call_command("seed_demo_services")
    slots = Session.objects.filter(event__kind=Event.Kind.SERVICE)
    count = slots.count()
    call_command("seed_demo_services")
    assert slots.count() == count

    museum = Event.objects.get(slug="steppe-heritage-museum")
    tour = Event.objects.get(slug="almaty-old-town-tour")
    museum_hours = {timezone.localtime(s.starts_at).hour for s in museum.sessions.all()}
    assert museum_hours <= set(range(10, 18)) and len(museum_hours) > 1
    tour_days = {timezone.localtime(s.starts_at).isoweekday() for s in tour.sessions.all()}
    assert tour_days == {6, 7}
    assert CapacityPool.objects.filter(session__event=museum, kind="resource").exists()
    assert museum.organizer.memberships.filter(user__email="organizer@demo.eventum.one").exists()

    listed = client.get(reverse("events:catalogue"), {"kind": "service"})
    assert {e.slug for e in listed.context["events"]} == {museum.slug, tour.slug}
    assert "Музеи, экскурсии, занятия" in client.get(reverse("events:home")).content.decode()
    # Their venues read in Kazakh and English like the other demo venues.
    museum.venue.refresh_from_db()
    assert (museum.venue.name_kk, museum.venue.name_en) == (
        "«Дала мұрасы» мұражайы",
        "Steppe Heritage Museum",
    )
    tour.venue.refresh_from_db()
    assert tour.venue.address_en == "48 Abylai Khan Avenue"

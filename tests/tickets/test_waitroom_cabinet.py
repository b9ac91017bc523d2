"""The organizer switches an event's waiting room on in the cabinet, and visitors queue."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organizers.models import Membership
from tests.factories import MembershipFactory, TicketTypeFactory
from tickets.models import WaitingRoom
from tickets.waitroom import room

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return TicketTypeFactory(quantity=100).session.event


def _manager(event) -> Client:
    client = Client()
    client.force_login(
        MembershipFactory(organizer=event.organizer, role=Membership.Role.MANAGER).user
    )
    return client


def test_the_organizer_switches_the_room_on_and_visitors_queue(
    event, django_capture_on_commit_callbacks
):
    client = _manager(event)
    listing = client.get(reverse("tickets:cabinet_waitrooms", args=[event.organizer.slug]))
    assert listing.status_code == 200
    url = reverse("tickets:cabinet_waitroom", args=[event.organizer.slug, event.slug])
    assert url in listing.content.decode()
    opens = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "enabled": "on",
                "opens_at": opens,
                "admit_per_minute": "120",
                "auto_threshold_ms": "1500",
            },
        )
    assert response.status_code == 302
    saved = WaitingRoom.objects.get(event=event)
    assert saved.enabled and saved.admit_per_minute == 120 and not saved.auto_enabled
    assert timezone.localtime(saved.opens_at).strftime("%Y-%m-%dT%H:%M") == opens
    visitor = Client()
    response = visitor.get(event.get_absolute_url())
    assert response.status_code == 302
    page = visitor.get(response["Location"])
    assert 'data-testid="queue-before-opening"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"opens_at": opens, "admit_per_minute": "120", "auto_threshold_ms": "1500"}
        )
    assert Client().get(event.get_absolute_url()).status_code == 200  # off again


def test_bad_settings_are_form_errors(event):
    url = reverse("tickets:cabinet_waitroom", args=[event.organizer.slug, event.slug])
    response = _manager(event).post(
        url, {"enabled": "on", "admit_per_minute": "0", "auto_threshold_ms": "abc"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"admit_per_minute", "auto_threshold_ms"}
    assert not WaitingRoom.objects.exists()
    assert room.config_read(event.pk)[0] is None


def test_switching_on_without_an_opening_time_opens_now(event, django_capture_on_commit_callbacks):
    url = reverse("tickets:cabinet_waitroom", args=[event.organizer.slug, event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        _manager(event).post(
            url, {"enabled": "on", "admit_per_minute": "60", "auto_threshold_ms": "2000"}
        )
    saved = WaitingRoom.objects.get(event=event)
    assert abs((saved.opens_at - timezone.now()).total_seconds()) < 120
    assert Client().get(event.get_absolute_url()).status_code == 302


def test_another_organizers_event_is_not_found(event):
    other = TicketTypeFactory().session.event
    url = reverse("tickets:cabinet_waitroom", args=[event.organizer.slug, other.slug])
    assert _manager(event).get(url).status_code == 404

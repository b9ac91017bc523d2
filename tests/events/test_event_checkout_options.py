"""What the organizer asks buyers at checkout is set on the event, in the cabinet's form."""

import pytest
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _edit_url(event):
    return reverse(
        "events_cabinet:event_edit",
        kwargs={"organizer_slug": event.organizer.slug, "pk": event.pk},
    )


def test_event_form_offers_the_postal_address_switch_off_by_default(manager_client):
    event = EventFactory(organizer=manager_client.organizer)
    assert event.asks_postal_address is False
    html = manager_client.get(_edit_url(event)).content.decode()
    assert 'name="asks_postal_address"' in html
    assert "Спрашивать у покупателей почтовый адрес" in html


def test_organizer_turns_the_postal_address_on_and_off(manager_client, event_form_data):
    event = EventFactory(organizer=manager_client.organizer)
    response = manager_client.post(
        _edit_url(event), {**event_form_data, "asks_postal_address": "on"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.asks_postal_address is True
    manager_client.post(_edit_url(event), event_form_data)  # an unticked box is not sent
    event.refresh_from_db()
    assert event.asks_postal_address is False

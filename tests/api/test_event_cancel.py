"""``POST /api/v1/organizer/events/{id}/cancel``: the cabinet's cancellation for an organizer's
system (``events:write``): pending orders cancelled, paid ones refunded, buyers told; refusals
with the service's own reason."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Event
from organizers.services import api_key_create
from tests.factories import EventFactory, OrganizerFactory, SessionFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.models import Order, OrderItem
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def _key(organizer, *scopes):
    return api_key_create(organizer=organizer, label="CRM", scopes=list(scopes), created_by=None)


def _cancel(client, event_id, secret):
    return client.post(
        f"/api/v1/organizer/events/{event_id}/cancel",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _paid(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


@pytest.fixture
def sale(policy):
    event = EventFactory()
    ticket_type = TicketTypeFactory(
        session=SessionFactory(event=event), price=Decimal("4000"), quantity=10
    )
    return event, ticket_type


def test_an_event_with_buyers_is_cancelled_and_their_money_goes_back(
    client, sale, django_capture_on_commit_callbacks
):
    event, ticket_type = sale
    paid = _paid(place_order({ticket_type: 2}, email="paid@example.kz"))
    pending = place_order({ticket_type: 1}, email="pending@example.kz")
    secret = _key(event.organizer, "events:write").secret
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = _cancel(client, event.pk, secret)
    assert done.status_code == 200, done.content
    assert done.json()["id"] == event.pk and done.json()["status"] == "cancelled"
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED
    paid.refresh_from_db()
    assert paid.status == Order.Status.REFUNDED and paid.refunded_amount == Decimal("8000")
    assert Order.objects.get(pk=pending.pk).status == Order.Status.CANCELLED
    assert not OrderItem.objects.filter(order__event=event, status=OrderItem.Status.VALID).exists()
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_taken == 0
    told = {address for message in mail.outbox for address in message.to}
    assert {"paid@example.kz", "pending@example.kz"} <= told


def test_a_cancelled_event_is_not_cancelled_again(client, sale):
    event, _ticket_type = sale
    secret = _key(event.organizer, "events:write").secret
    assert _cancel(client, event.pk, secret).status_code == 200
    again = _cancel(client, event.pk, secret)
    assert again.status_code == 409
    assert again.json()["error"] == "already_cancelled"
    assert again.json()["message"] == "Это событие уже отменено."


def test_a_finished_event_is_refused_with_the_services_reason(client, sale):
    event, ticket_type = sale
    paid = _paid(place_order({ticket_type: 1}))
    Event.objects.filter(pk=event.pk).update(status=Event.Status.FINISHED)
    refused = _cancel(client, event.pk, _key(event.organizer, "events:write").secret)
    assert refused.status_code == 409
    assert refused.json()["error"] == "event_finished"
    assert "нельзя" in refused.json()["message"]
    assert Event.objects.get(pk=event.pk).status == Event.Status.FINISHED
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID


def test_cancelling_needs_the_write_scope(client, sale):
    event, _ticket_type = sale
    refused = _cancel(client, event.pk, _key(event.organizer, "events:read").secret)
    assert refused.status_code == 403 and refused.json()["error"] == "insufficient_scope"
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


def test_another_organizers_event_or_a_bad_id_is_not_found(client, sale):
    event, ticket_type = sale
    paid = _paid(place_order({ticket_type: 1}))
    stranger = _key(OrganizerFactory(), "events:write").secret
    other = _cancel(client, event.pk, stranger)
    assert other.status_code == 404 and other.json()["error"] == "event_not_found"
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID
    own = _key(event.organizer, "events:write").secret
    for unknown in (999_999_999, -1, 10**20):  # the last one past the database's integers
        missing = _cancel(client, unknown, own)
        assert missing.status_code == 404 and missing.json()["error"] == "event_not_found"
    # Not a number at all: the API's usual validation error, as on every other id.
    assert _cancel(client, "not-a-number", own).json()["error"] == "validation_error"


def test_a_draft_without_buyers_is_cancelled_too(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    SessionFactory(event=draft, starts_at=timezone.now() + timedelta(days=3))
    done = _cancel(client, draft.pk, _key(draft.organizer, "events:write").secret)
    assert done.status_code == 200 and done.json()["status"] == "cancelled"


def test_there_is_no_delete_for_events(client, sale):
    """An event is cancelled, never deleted: DELETE is not a method of the event's route."""
    event, _ticket_type = sale
    gone = client.delete(
        f"/api/v1/organizer/events/{event.pk}",
        HTTP_AUTHORIZATION=f"Bearer {_key(event.organizer, 'events:write').secret}",
    )
    assert gone.status_code == 405
    assert Event.objects.filter(pk=event.pk).exists()

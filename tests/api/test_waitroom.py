"""The API honours an event's waiting room: hold and checkout answer ``waiting_room`` with the
place and the poll URL; the poll hands a pass bound to the account."""

import uuid
from decimal import Decimal

import pytest

from tests.api.test_purchase import _consent
from tests.factories import TicketTypeFactory, UserFactory
from tests.tickets.waitroom_helpers import admission_order, admit_everyone, room_on
from tickets.models import Order, Reservation
from tickets.waitroom import room

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_client(client, policy):
    client.buyer = UserFactory(email="ivan@example.kz")
    client.force_login(client.buyer)
    return client


@pytest.fixture
def ticket_type():
    return TicketTypeFactory(price=Decimal("5000"), quantity=10, max_per_order=4)


def _hold(client, ticket_type, queue_pass=""):
    extra = {"HTTP_X_QUEUE_PASS": queue_pass} if queue_pass else {}
    return client.put(
        "/api/v1/me/cart",
        {"quantities": {str(ticket_type.pk): 2}},
        content_type="application/json",
        **extra,
    )


def _checkout(client, policy, queue_pass=""):
    extra = {"HTTP_X_QUEUE_PASS": queue_pass} if queue_pass else {}
    body = {
        "idempotency_key": uuid.uuid4().hex,
        "buyer": {
            "surname": "Иванов",
            "name": "Иван",
            "phone": "+77011234567",
            "email": "ivan@example.kz",
        },
        "consent": _consent(client, policy),
    }
    return client.post("/api/v1/me/checkout", body, content_type="application/json", **extra)


def test_a_hold_without_a_pass_is_refused_with_the_place_and_the_poll_url(
    buyer_client, ticket_type
):
    event = ticket_type.session.event
    room_on(event)
    admit_everyone(event.pk)
    response = _hold(buyer_client, ticket_type)
    assert response.status_code == 429
    body = response.json()
    assert body["error"] == "waiting_room"
    assert body["details"][0]["position"] == 1
    assert body["details"][0]["poll_url"].endswith(f"/api/v1/queue/{event.pk}")
    assert int(response["Retry-After"]) > 0
    assert not Reservation.objects.exists()
    assert admission_order(event.pk) == [f"u:{buyer_client.buyer.pk}"]


def test_an_app_polls_gets_its_pass_and_buys(buyer_client, ticket_type, policy):
    event = ticket_type.session.event
    room_on(event)
    joined = buyer_client.post(f"/api/v1/queue/{event.pk}").json()
    assert joined["state"] in ("waiting", "admitted")
    admit_everyone(event.pk)
    polled = buyer_client.get(f"/api/v1/queue/{event.pk}").json()
    assert polled["state"] == "admitted"
    queue_pass = polled["queue_pass"]
    assert _hold(buyer_client, ticket_type, queue_pass).status_code == 200
    refused = _checkout(buyer_client, policy)  # the pass is needed at checkout too
    assert refused.status_code == 429 and refused.json()["error"] == "waiting_room"
    assert _checkout(buyer_client, policy, queue_pass).status_code == 201
    assert Order.objects.filter(user=buyer_client.buyer).count() == 1


def test_another_accounts_pass_is_refused(client, policy, ticket_type):
    event = ticket_type.session.event
    room_on(event)
    first = UserFactory()
    client.force_login(first)
    client.post(f"/api/v1/queue/{event.pk}")
    admit_everyone(event.pk)
    first_pass = client.get(f"/api/v1/queue/{event.pk}").json()["queue_pass"]
    client.force_login(UserFactory())
    response = _hold(client, ticket_type, first_pass)
    assert response.status_code == 429
    assert response.json()["error"] == "waiting_room"


def test_the_api_without_a_room_is_untouched(buyer_client, ticket_type):
    assert _hold(buyer_client, ticket_type).status_code == 200


def test_an_app_far_back_is_told_to_poll_less_often(buyer_client, ticket_type, settings):
    settings.WAITROOM_POLL_SECONDS = 5
    settings.WAITROOM_POLL_MAX_SECONDS = 30
    event = ticket_type.session.event
    room_on(event, cap=60)
    for n in range(200):
        room.join(event.pk, f"visitor-{n:012d}")
    refused = _hold(buyer_client, ticket_type)
    assert refused.status_code == 429
    assert refused.json()["details"][0]["poll_seconds"] == 30
    assert refused["Retry-After"] == "30"
    assert buyer_client.get(f"/api/v1/queue/{event.pk}").json()["poll_seconds"] == 30

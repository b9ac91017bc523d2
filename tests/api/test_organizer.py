"""Organizer API keys: made in the cabinet (shown once, stored hashed, scoped, revocable), and
the organizer endpoints — only the key's organizer's data, blocked buyers masked as in the
cabinet, every read of buyers' data in the disclosure log."""

from decimal import Decimal

import pytest
from django.urls import reverse

from organizers.models import ApiKey
from organizers.services import api_key_create, api_key_hash
from privacy.models import Disclosure, DisclosureSubject
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganizerFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
)
from tests.privacy.conftest import make_blocked
from tests.tickets.flows import place_order
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def _paid(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


@pytest.fixture
def world(db, policy):
    organizer = OrganizerFactory()
    event = EventFactory(organizer=organizer)
    ticket_type = TicketTypeFactory(
        session=SessionFactory(event=event), price=Decimal("5000"), quantity=20
    )
    other_event = EventFactory(organizer=OrganizerFactory())
    other_type = TicketTypeFactory(session=SessionFactory(event=other_event), quantity=5)
    return {
        "organizer": organizer,
        "event": event,
        "open": _paid(place_order({ticket_type: 1}, email="open@example.kz")),
        "blocked": _paid(place_order({ticket_type: 2}, email="hidden@example.kz")),
        "other": _paid(place_order({other_type: 1}, email="other@example.kz")),
        "other_event": other_event,
    }


def _key(organizer, *scopes):
    return api_key_create(
        organizer=organizer, label="CRM", scopes=list(scopes), created_by=None
    ).secret


def _get(client, url, secret, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_cabinet_makes_a_key_shown_once_and_stored_hashed(client):
    owner = MembershipFactory(role="owner")
    client.force_login(owner.user)
    url = reverse("organizers:api_keys", kwargs={"organizer_slug": owner.organizer.slug})
    response = client.post(url, {"label": "CRM", "scopes": ["orders:read", "events:read"]})
    assert response.status_code == 200
    secret = response.context["new"].secret
    assert secret.startswith("evk_") and secret in response.content.decode()
    key = ApiKey.objects.get(organizer=owner.organizer)
    assert key.secret_hash == api_key_hash(secret) and secret not in key.secret_hash
    assert key.scopes == ["events:read", "orders:read"]
    assert response["Cache-Control"] == "private, no-store"
    again = client.get(url).content.decode()
    assert secret not in again and key.secret_hint in again
    refused = client.post(url, {"label": "No scopes"})
    assert refused.status_code == 400
    manager = MembershipFactory(organizer=owner.organizer, role="manager")
    client.force_login(manager.user)
    assert client.get(url).status_code == 403


def test_a_revoked_key_stops_at_once(client, world):
    secret = _key(world["organizer"], "events:read")
    assert _get(client, "/api/v1/organizer/events", secret).status_code == 200
    key = ApiKey.objects.get()
    assert key.last_used_at is not None
    owner = MembershipFactory(organizer=world["organizer"], role="owner")
    client.force_login(owner.user)
    url = reverse(
        "organizers:api_key_revoke",
        kwargs={"organizer_slug": world["organizer"].slug, "pk": key.pk},
    )
    assert client.post(url).status_code == 200  # asks first
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    client.logout()
    response = _get(client, "/api/v1/organizer/events", secret)
    assert (response.status_code, response.json()["error"]) == (401, "not_authenticated")


def test_scopes_are_enforced(client, world):
    secret = _key(world["organizer"], "events:read")
    response = _get(client, "/api/v1/organizer/orders", secret)
    assert (response.status_code, response.json()["error"]) == (403, "insufficient_scope")
    assert _get(client, "/api/v1/organizer/orders", "evk_forged").status_code == 401


def test_events_are_the_keys_organizers_only(client, world):
    secret = _key(world["organizer"], "events:read")
    body = _get(client, "/api/v1/organizer/events", secret).json()
    assert [e["slug"] for e in body["items"]] == [world["event"].slug]
    detail = _get(client, f"/api/v1/organizer/events/{world['event'].pk}", secret).json()
    assert detail["sessions"][0]["ticket_types"][0]["available"] == 17
    other = _get(client, f"/api/v1/organizer/events/{world['other_event'].pk}", secret)
    assert other.status_code == 404


def test_orders_mask_blocked_buyers_as_the_cabinet_does_and_are_logged(
    client, world, django_assert_max_num_queries
):
    make_blocked(staff=UserFactory(is_staff=True), email="hidden@example.kz")
    secret = _key(world["organizer"], "orders:read")
    with django_assert_max_num_queries(14):
        body = _get(client, "/api/v1/organizer/orders", secret).json()
    buyers = {o["code"]: o["buyer"] for o in body["items"]}
    assert set(buyers) == {world["open"].code, world["blocked"].code}
    assert buyers[world["open"].code]["email"] == "open@example.kz"
    hidden = buyers[world["blocked"].code]
    assert hidden["masked"] is True
    assert "hidden@example.kz" not in str(hidden) and "Иванов" not in hidden["name"]
    logged = Disclosure.objects.get(channel=Disclosure.Channel.API)
    assert logged.actor_label == f"API key “CRM” (#{ApiKey.objects.get().pk})"
    subjects = set(DisclosureSubject.objects.values_list("subject", flat=True))
    assert "open@example.kz" in subjects and "hidden@example.kz" not in subjects

    detail = _get(client, f"/api/v1/organizer/orders/{world['blocked'].code}", secret).json()
    assert detail["buyer"]["masked"] is True and detail["postal_address"] is None
    other = _get(client, f"/api/v1/organizer/orders/{world['other'].code}", secret)
    assert other.status_code == 404

    attendees = _get(
        client, f"/api/v1/organizer/events/{world['event'].pk}/attendees", secret
    ).json()["items"]
    assert len(attendees) == 3
    holders = {a["order"]: a["holder"] for a in attendees}
    assert holders[world["blocked"].code]["masked"] is True
    assert holders[world["open"].code]["email"] == "open@example.kz"
    none = _get(
        client, f"/api/v1/organizer/events/{world['other_event'].pk}/attendees", secret
    ).json()
    assert none["items"] == []


def test_an_id_beyond_the_databases_range_names_nothing_and_is_no_server_error(client, world):
    """A number too big for the database (SQLite refuses it outright, PostgreSQL finds no row)
    names nothing: 404, or for the attendee list an empty page as for any unknown event."""
    secret = _key(world["organizer"], "events:read", "orders:read")
    huge = 2**70
    for url in (f"/api/v1/organizer/events/{huge}", f"/api/v1/sessions/{huge}/availability"):
        response = _get(client, url, secret)
        assert response.status_code == 404, url
        assert response.json()["error"].endswith("not_found"), url
    attendees = _get(client, f"/api/v1/organizer/events/{huge}/attendees", secret)
    assert attendees.status_code in (200, 404)
    if attendees.status_code == 200:
        assert attendees.json()["items"] == []
    else:
        assert attendees.json()["error"] == "not_found"

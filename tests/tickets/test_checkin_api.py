"""The JSON check-in API for scanner apps: a device token per phone, revocable."""

import json

import pytest
from django.urls import reverse

from organizers.models import Membership
from tests.factories import EventFactory
from tests.tickets.delivery_helpers import paid_order, staff_of
from tickets.checkin.models import scanner_token_hash
from tickets.checkin.services import scanner_device_create
from tickets.models import CheckIn, ScannerDevice
from tickets.qr import qr_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return paid_order(quantity=1)


@pytest.fixture
def device(order):
    return scanner_device_create(
        organizer=order.event.organizer, label="Вход А, телефон 1", created_by=None
    )


def _post(client, payload, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(
        reverse("tickets:api_checkin"),
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_device_checks_a_ticket_in_once(client, order, device):
    payload = {"code": qr_payload(order.items.get()), "event": order.event.slug}

    first = _post(client, payload, device.token)
    second = _post(client, payload, device.token)

    assert first.status_code == 200
    assert first.json()["result"] == "valid" and first.json()["ok"] is True
    assert second.json()["result"] == "used"
    assert second.json()["checked_in_by"] == "Вход А, телефон 1"
    check_in = CheckIn.objects.get()
    assert check_in.device == device.device
    assert ScannerDevice.objects.get().last_used_at is not None


def test_the_holder_is_shown_and_recorded_or_masked_while_the_buyer_is_blocked(
    client, order, device
):
    from privacy.models import BlockingRequest, Disclosure
    from privacy.services import blocking_request_create

    payload = {"code": qr_payload(order.items.get()), "event": order.event.slug}
    shown = _post(client, payload, device.token).json()["ticket"]
    assert shown["holder"] == order.full_name and shown["holder_masked"] is False
    disclosure = Disclosure.objects.get(channel="checkin")
    assert disclosure.fields == ["name"] and disclosure.actor_label.startswith("scanner device")

    blocking_request_create(  # received only: blocks already
        request=BlockingRequest(
            requester_kind=BlockingRequest.RequesterKind.SUBJECT,
            requester_name="—",
            grounds=BlockingRequest.Grounds.OTHER,
            subject_email=order.email,
        )
    )
    answer = _post(client, payload, device.token).json()
    assert answer["result"] == "used"  # the ticket still works at the door (it was used)
    assert answer["ticket"]["holder_masked"] is True
    assert order.surname not in answer["ticket"]["holder"]
    assert Disclosure.objects.filter(channel="checkin").count() == 1  # nothing more disclosed


def test_token_is_stored_only_hashed(device):
    stored = ScannerDevice.objects.get()

    assert stored.token_hash == scanner_token_hash(device.token)
    assert device.token not in (stored.token_hash, stored.token_hint)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong-token", "Basic abc"])
def test_missing_or_wrong_token_is_401(client, order, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        reverse("tickets:api_checkin"),
        data=json.dumps({"code": qr_payload(order.items.get()), "event": order.event.slug}),
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not CheckIn.objects.exists()


def test_revoked_token_is_401(client, order, device):
    manager = staff_of(order.event.organizer, role=Membership.Role.MANAGER)
    client.force_login(manager)
    revoke = client.post(
        reverse(
            "tickets:scanner_device_revoke", args=[order.event.organizer.slug, device.device.pk]
        ),
        {"confirm": "yes"},
    )
    client.logout()

    response = _post(
        client, {"code": qr_payload(order.items.get()), "event": order.event.slug}, device.token
    )

    assert revoke.status_code == 302
    assert response.status_code == 401
    assert not CheckIn.objects.exists()


def test_device_of_another_organizer_sees_unknown_event(client, order):
    other = scanner_device_create(organizer=EventFactory().organizer, label="x", created_by=None)

    response = _post(
        client, {"code": qr_payload(order.items.get()), "event": order.event.slug}, other.token
    )

    assert response.status_code == 404
    assert response.json()["error"] == "unknown_event"
    assert not CheckIn.objects.exists()


def test_other_organizers_ticket_at_my_event_is_unknown(client, order, device):
    stranger = paid_order(quantity=1)

    response = _post(
        client, {"code": qr_payload(stranger.items.get()), "event": order.event.slug}, device.token
    )

    assert response.json()["result"] == "unknown"
    assert "ticket" not in response.json()


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"event": "x"}'])
def test_bad_body_is_400(client, device, body):
    response = client.post(
        reverse("tickets:api_checkin"),
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {device.token}",
    )

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


def test_stats_for_the_device(client, order, device):
    _post(client, {"code": qr_payload(order.items.get()), "event": order.event.slug}, device.token)

    response = client.get(
        reverse("tickets:api_checkin_stats"),
        {"event": order.event.slug},
        HTTP_AUTHORIZATION=f"Bearer {device.token}",
    )
    anonymous = client.get(reverse("tickets:api_checkin_stats"), {"event": order.event.slug})

    assert response.json()["sessions"][0]["checked_in"] == 1
    assert response.json()["sessions"][0]["sold"] == 1
    assert anonymous.status_code == 401


def test_device_rate_limit_is_429(client, order, device, monkeypatch):
    monkeypatch.setattr("eventum.ratelimit._now", lambda: 2_000_000.0)
    payload = {"code": "EVT1:nothing", "event": order.event.slug}

    codes = [_post(client, payload, device.token).status_code for _n in range(11)]

    assert codes == [200] * 10 + [429]


def test_owner_creates_a_device_and_sees_the_token_once(client, order):
    organizer = order.event.organizer
    client.force_login(staff_of(organizer, role=Membership.Role.OWNER))
    url = reverse("tickets:scanner_devices", args=[organizer.slug])

    created = client.post(url, {"label": "Турникет 2"})
    again = client.get(url)
    empty = client.post(url, {"label": "  "})

    device = ScannerDevice.objects.get()
    token = created.content.decode().split('data-testid="new-token"')[1].split("<code>")[1]
    token = token.split("</code>")[0]
    assert device.token_hash == scanner_token_hash(token)
    assert token not in again.content.decode()
    assert empty.status_code == 400
    assert ScannerDevice.objects.count() == 1


def test_device_list_makes_few_queries(client, order, django_assert_max_num_queries):
    organizer = order.event.organizer
    for n in range(6):
        scanner_device_create(organizer=organizer, label=f"Телефон {n}", created_by=None)
    client.force_login(staff_of(organizer, role=Membership.Role.OWNER))

    with django_assert_max_num_queries(10):
        response = client.get(reverse("tickets:scanner_devices", args=[organizer.slug]))

    assert response.content.decode().count("Телефон ") == 6

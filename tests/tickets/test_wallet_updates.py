"""A wallet pass on a phone keeps itself current: Apple's PassKit web service, the pushes that
wake the phone when a session moves, a QR code is re-issued or a ticket is given away or
returned, and the personal data the registrations are."""

import io
import json
import logging
import zipfile
from datetime import timedelta

import httpx
import pytest
from django.urls import reverse

from events.services import session_update
from tests.factories import TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets import test_booking_move
from tests.tickets.delivery_helpers import paid_order
from tickets.checkin.services import ticket_secret_reissue
from tickets.models import TransferRules, WalletPass, WalletRegistration
from tickets.qr import qr_payload
from tickets.retention.services import event_personal_data_destroy
from tickets.services.booking_move import order_move_to_slot
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor
from tickets.subject_data import subject_sections_for_privacy
from tickets.transfers.services import ticket_transfer
from tickets.wallet.apns import ApnsHttpSender, ApnsRecorder
from tickets.wallet.apple import authentication_token
from tickets.wallet.services import wallet_pushes_send

pytestmark = pytest.mark.django_db

slots = test_booking_move.slots  # a service's slots, for the booking moved to another slot

PASS_TYPE = "pass.one.eventum.ticket"
DEVICE = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
PUSH_TOKEN = "9f" * 32


@pytest.fixture(autouse=True)
def recorded_pushes():
    ApnsRecorder.sent.clear()
    yield ApnsRecorder.sent
    ApnsRecorder.sent.clear()


@pytest.fixture
def order(django_capture_on_commit_callbacks):
    tt = TicketTypeFactory(session__event__title_ru="Ночь домбры", name_ru="Партер")
    with django_capture_on_commit_callbacks(execute=True):
        return paid_order(tt=tt, quantity=2)


@pytest.fixture
def item(order):
    return order.items.order_by("pk").first()


def _serial(item):
    return f"{item.order.code}-{item.pk}"


def _auth(item, token=None):
    return {"HTTP_AUTHORIZATION": f"ApplePass {token or authentication_token(_serial(item))}"}


def _registration_url(item, device=DEVICE):
    return f"/wallet/apple/v1/devices/{device}/registrations/{PASS_TYPE}/{_serial(item)}"


def _register(client, item, **extra):
    body = json.dumps({"pushToken": PUSH_TOKEN})
    return client.post(
        _registration_url(item), body, content_type="application/json", **_auth(item), **extra
    )


def _pass_url(item):
    return f"/wallet/apple/v1/passes/{PASS_TYPE}/{_serial(item)}"


def _pass_json(response):
    return json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("pass.json"))


def test_the_downloaded_pass_names_the_web_service_and_its_own_token(client, order, item):
    response = client.get(
        reverse("tickets:ticket_apple_wallet", args=[order.code, item.pk]), {"s": order.secret}
    )

    described = _pass_json(response)
    assert described["webServiceURL"] == "http://testserver/wallet/apple/"
    assert reverse("wallet_apple_log") == "/wallet/apple/v1/log"
    token = described["authenticationToken"]
    assert len(token) >= 16 and token == authentication_token(_serial(item))
    other = order.items.order_by("pk").last()
    assert token != authentication_token(_serial(other))
    assert "voided" not in described


def test_the_whole_device_flow(
    client, order, item, recorded_pushes, django_capture_on_commit_callbacks
):
    # the phone registers (201), then again (200): one registration
    assert _register(client, item).status_code == 201
    assert _register(client, item).status_code == 200
    registration = WalletRegistration.objects.get()
    assert (registration.device_library_identifier, registration.push_token) == (DEVICE, PUSH_TOKEN)
    # registered an hour ago (the changes of the last minute are always listed again)
    WalletPass.objects.update(updated_at=WalletPass.objects.get().updated_at - timedelta(hours=1))
    serials_url = f"/wallet/apple/v1/devices/{DEVICE}/registrations/{PASS_TYPE}"
    first = client.get(serials_url).json()
    assert first["serialNumbers"] == [_serial(item)]
    tag = first["lastUpdated"]
    assert client.get(serials_url, {"passesUpdatedSince": tag}).status_code == 204
    downloaded = client.get(_pass_url(item), **_auth(item))
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/vnd.apple.pkpass"
    last_modified = downloaded["Last-Modified"]
    assert not downloaded.cookies
    unchanged = client.get(_pass_url(item), HTTP_IF_MODIFIED_SINCE=last_modified, **_auth(item))
    assert unchanged.status_code == 304 and unchanged.content == b""

    # the organizer moves the session: the pass changes and the phone is woken
    session = item.ticket_type.session
    new_start = session.starts_at + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, data={"starts_at": new_start})

    assert recorded_pushes == [{"token": PUSH_TOKEN, "topic": PASS_TYPE, "payload": "{}"}]
    changed = client.get(serials_url, {"passesUpdatedSince": tag}).json()
    assert changed["serialNumbers"] == [_serial(item)]
    assert int(changed["lastUpdated"]) > int(tag)
    # a change committed late in the same minute is not missed: listed once more, then 304
    again_listed = client.get(serials_url, {"passesUpdatedSince": changed["lastUpdated"]})
    assert again_listed.json()["serialNumbers"] == [_serial(item)]
    fresh = client.get(_pass_url(item), HTTP_IF_MODIFIED_SINCE=last_modified, **_auth(item))
    assert fresh.status_code == 200
    assert _pass_json(fresh)["relevantDate"] == new_start.isoformat()
    again = client.get(
        _pass_url(item), HTTP_IF_MODIFIED_SINCE=fresh["Last-Modified"], **_auth(item)
    )
    assert again.status_code == 304

    # the pass is removed from the phone
    assert client.delete(_registration_url(item), **_auth(item)).status_code == 200
    assert not WalletRegistration.objects.exists()
    assert client.get(serials_url).status_code == 204


def test_a_new_qr_code_a_transfer_and_a_return_each_update_the_pass(
    client, order, item, recorded_pushes, django_capture_on_commit_callbacks
):
    _register(client, item)
    WalletPass.objects.update(updated_at=WalletPass.objects.get().updated_at - timedelta(hours=1))
    before = WalletPass.objects.get().updated_at

    with django_capture_on_commit_callbacks(execute=True):
        ticket_secret_reissue(item_id=item.pk, actor_user=None)

    item.refresh_from_db()
    assert WalletPass.objects.get().updated_at > before
    assert len(recorded_pushes) == 1
    assert _pass_json(client.get(_pass_url(item), **_auth(item)))["barcodes"][0][
        "message"
    ] == qr_payload(item)

    with django_capture_on_commit_callbacks(execute=True):
        order_refund(order_id=order.pk, actor=Actor(label="organizer"), item_ids=[item.pk])

    assert len(recorded_pushes) == 2
    assert _pass_json(client.get(_pass_url(item), **_auth(item)))["voided"] is True


def test_a_ticket_given_away_voids_the_givers_pass_and_the_new_holders_pass_updates(
    client, order, item, recorded_pushes, django_capture_on_commit_callbacks
):
    TransferRules.objects.create(event=order.event, allowed=True, cutoff_hours=2)
    _register(client, item)
    givers = _auth(item)

    with django_capture_on_commit_callbacks(execute=True):
        ticket_transfer(
            order_id=order.pk,
            item_id=item.pk,
            to_name="Асель Нурланова",
            to_email="friend@example.kz",
            consent_wording="согласие",
        )

    item.refresh_from_db()
    assert len(recorded_pushes) == 1  # the giver's phone is woken...
    void = _pass_json(client.get(_pass_url(item), **givers))
    assert void["voided"] is True and "barcodes" not in void  # ...and never gets the new code
    assert qr_payload(item) not in json.dumps(void)
    new_token = authentication_token(_serial(item), 1)
    assert new_token != givers["HTTP_AUTHORIZATION"].split()[1]
    current = _pass_json(client.get(_pass_url(item), **_auth(item, token=new_token)))
    assert current["barcodes"][0]["message"] == qr_payload(item)
    assert current["authenticationToken"] == new_token and "voided" not in current


def test_a_booking_moved_to_another_slot_updates_its_passes(
    client, slots, recorded_pushes, django_capture_on_commit_callbacks
):
    first, second = slots[0], slots[1]
    order = paid_order(test_booking_move._adult(first), quantity=1)
    item = order.items.get()
    _register(client, item)

    with django_capture_on_commit_callbacks(execute=True):
        order_move_to_slot(order_id=order.pk, session_id=second.pk)

    assert len(recorded_pushes) == 1
    moved = _pass_json(client.get(_pass_url(item), **_auth(item)))
    assert moved["relevantDate"] == second.starts_at.isoformat()


def test_a_wrong_token_gets_401_and_changes_nothing(client, item):
    wrong = _auth(item, token="x" * 40)
    body = json.dumps({"pushToken": PUSH_TOKEN})
    url = _registration_url(item)

    assert client.post(url, body, content_type="application/json", **wrong).status_code == 401
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert client.get(_pass_url(item), **wrong).status_code == 401
    other = item.order.items.order_by("pk").last()
    assert client.get(_pass_url(item), **_auth(other)).status_code == 401  # another pass's
    assert client.delete(url, **wrong).status_code == 401
    assert not WalletRegistration.objects.exists()


def test_an_unknown_serial_or_pass_type_is_404(client, item):
    serial = f"{item.order.code}-999999"
    token = {"HTTP_AUTHORIZATION": f"ApplePass {authentication_token(serial)}"}
    response = client.get(f"/wallet/apple/v1/passes/{PASS_TYPE}/{serial}", **token)
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_pass"
    assert (
        client.get(f"/wallet/apple/v1/passes/pass.other/{_serial(item)}", **_auth(item)).status_code
        == 404
    )


def test_bad_input_gets_a_reason_not_a_server_error(client, item):
    url = _registration_url(item)
    for body in ("not json", "[]", json.dumps({"pushToken": 5}), json.dumps({})):
        response = client.post(url, body, content_type="application/json", **_auth(item))
        assert response.status_code == 400
        assert response.json()["error"] == "bad_push_token"
    bad_device = _registration_url(item, device="a" * 200)
    assert client.delete(bad_device, **_auth(item)).status_code == 400
    serials_url = f"/wallet/apple/v1/devices/{DEVICE}/registrations/{PASS_TYPE}"
    assert client.get(serials_url, {"passesUpdatedSince": "yesterday"}).status_code == 400
    assert client.put(url, **_auth(item)).status_code == 405
    assert (
        client.post("/wallet/apple/v1/log", "{", content_type="application/json").status_code == 400
    )


def test_the_service_needs_no_csrf_token_and_sets_no_cookie(item):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = _register(client, item)
    assert response.status_code == 201
    assert not response.cookies


def test_a_blocked_subjects_pass_is_neither_registered_nor_served_nor_pushed(
    client, order, item, recorded_pushes, django_capture_on_commit_callbacks
):
    _register(client, item)
    make_blocked(staff=UserFactory(is_staff=True), email="buyer@example.kz")

    refused = _register(client, item)
    assert refused.status_code == 403 and refused.json()["error"] == "blocked"
    assert client.get(_pass_url(item), **_auth(item)).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        ticket_secret_reissue(item_id=item.pk, actor_user=None)
    assert recorded_pushes == []
    serials_url = f"/wallet/apple/v1/devices/{DEVICE}/registrations/{PASS_TYPE}"
    assert client.get(serials_url).status_code == 204


def test_the_organizers_destruction_deletes_the_registrations(client, order, item):
    _register(client, item)
    session = item.ticket_type.session
    session.starts_at = session.starts_at - timedelta(days=400)
    session.ends_at = None
    session.save()
    owner = UserFactory()

    event_personal_data_destroy(event=order.event, by=owner)

    assert not WalletRegistration.objects.exists()


def test_the_buyers_data_lists_the_registered_phones(client, order, item):
    _register(client, item)

    sections = subject_sections_for_privacy(None, email="buyer@example.kz")

    (orders,) = [s for s in sections if s.key == "orders"]
    ticket = orders.data[0]["tickets"][0]
    (device,) = ticket["wallet_devices"]
    assert (device["device"], device["push_token"]) == (DEVICE, PUSH_TOKEN)
    assert orders.data[0]["tickets"][1]["wallet_devices"] == []


def test_too_many_requests_from_one_address_get_429(client, item, monkeypatch):
    monkeypatch.setattr("eventum.ratelimit._windows_count", lambda keys: [10_000] * len(keys))

    response = client.get(_pass_url(item), **_auth(item))

    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert response["Retry-After"] == "600"


def test_the_device_log_is_kept_without_identifiers(client, caplog):
    line = f"Web service error for {PASS_TYPE}: device {DEVICE}, pass C8BBZVH8-12 got 401"
    with caplog.at_level(logging.WARNING, logger="tickets.wallet.webservice"):
        response = client.post(
            "/wallet/apple/v1/log", json.dumps({"logs": [line]}), content_type="application/json"
        )
    assert response.status_code == 200
    assert "Web service error for" in caplog.text and "got 401" in caplog.text
    assert DEVICE not in caplog.text and "C8BBZVH8" not in caplog.text


def test_the_http2_sender_posts_an_empty_object_per_token_and_a_gone_device_is_forgotten(
    client, item
):
    _register(client, item)
    seen = []

    def apns(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(410, json={"reason": "Unregistered"})

    sender = ApnsHttpSender(transport=httpx.MockTransport(apns))

    assert wallet_pushes_send(pass_ids=[WalletPass.objects.get().pk], sender=sender) == 0

    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == f"https://api.push.apple.com/3/device/{PUSH_TOKEN}"
    assert request.headers["apns-topic"] == PASS_TYPE
    assert request.content == b"{}"
    assert not WalletRegistration.objects.exists()  # 410: the device is gone


def test_the_http2_sender_reports_an_unreachable_service(settings):
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    outcomes = ApnsHttpSender(transport=httpx.MockTransport(down)).send(
        tokens=["ab"], topic=PASS_TYPE
    )

    assert [(o.token, o.status) for o in outcomes] == [("ab", 0)]

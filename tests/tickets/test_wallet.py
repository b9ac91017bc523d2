"""The ticket in the phone's wallet and calendar: a signed Apple Wallet pass, a Google Wallet
save link and an .ics of the sessions — for the buyer only."""

import io
import json
import subprocess
import zipfile
from datetime import timedelta
from hashlib import sha1

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from icalendar import Calendar

from events.models import Session
from tests.factories import TicketTypeFactory, UserFactory
from tests.tickets.delivery_helpers import paid_order
from tickets.models import Order, OrderItem
from tickets.qr import qr_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(django_capture_on_commit_callbacks):
    tt = TicketTypeFactory(session__event__title_ru="Ночь домбры", name_ru="Партер")
    with django_capture_on_commit_callbacks(execute=True):
        return paid_order(tt=tt, quantity=2)


def _get(client, name, order, *args):
    return client.get(reverse(f"tickets:{name}", args=[order.code, *args]), {"s": order.secret})


def test_the_apple_pass_is_signed_and_its_manifest_matches(client, order, tmp_path):
    item = order.items.order_by("pk").first()

    response = _get(client, "ticket_apple_wallet", order, item.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.pkpass"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"pass.json", "manifest.json", "signature", "icon.png", "logo.png"} <= names
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest) == names - {"manifest.json", "signature"}
    for name, digest in manifest.items():
        assert sha1(archive.read(name)).hexdigest() == digest
    described = json.loads(archive.read("pass.json"))
    assert described["serialNumber"] == f"{order.code}-{item.pk}"
    assert described["barcodes"][0]["message"] == qr_payload(item)
    assert described["eventTicket"]["primaryFields"][0]["value"] == "Ночь домбры"
    assert "buyer@example.kz" not in archive.read("pass.json").decode()

    # the detached PKCS #7 signature verifies against the manifest and the signing authority
    (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json"))
    (tmp_path / "signature").write_bytes(archive.read("signature"))
    wallet = tmp_path / "wallet"
    verified = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(tmp_path / "signature"),
            "-content",
            str(tmp_path / "manifest.json"),
            "-CAfile",
            str(wallet / "wwdr.pem"),
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    # ... and not against a manifest someone changed
    (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json").replace(b"a", b"b", 1))
    tampered = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(tmp_path / "signature"),
            "-content",
            str(tmp_path / "manifest.json"),
            "-CAfile",
            str(wallet / "wwdr.pem"),
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tampered.returncode != 0


def test_a_pass_shows_the_session_as_it_is_now(client, order):
    item = order.items.first()
    session = item.ticket_type.session
    moved = session.starts_at + timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(starts_at=moved)

    archive = zipfile.ZipFile(
        io.BytesIO(_get(client, "ticket_apple_wallet", order, item.pk).content)
    )

    described = json.loads(archive.read("pass.json"))
    assert described["relevantDate"] == moved.isoformat()


def test_a_seat_is_on_the_pass_and_the_calendar(client, order):
    item = order.items.first()
    OrderItem.objects.filter(pk=item.pk).update(seat_label="VIP, ряд 2, место 5")

    archive = zipfile.ZipFile(
        io.BytesIO(_get(client, "ticket_apple_wallet", order, item.pk).content)
    )
    calendar = Calendar.from_ical(_get(client, "order_calendar", order).content)

    fields = json.loads(archive.read("pass.json"))["eventTicket"]["auxiliaryFields"]
    assert {"key": "seat", "label": "Место", "value": "VIP, ряд 2, место 5"} in fields
    assert "VIP, ряд 2, место 5" in str(calendar.walk("VEVENT")[0]["description"])


def test_the_calendar_file_has_one_entry_per_session_and_no_secret(client, order):
    response = _get(client, "order_calendar", order)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    session = order.items.first().ticket_type.session
    assert str(entry["summary"]) == "Ночь домбры"
    assert entry["dtstart"].dt == session.starts_at.replace(microsecond=0)
    assert entry["uid"].startswith(f"order-{order.code}-session-{session.pk}@")
    assert order.secret not in response.content.decode()
    assert "2" in str(entry["description"])  # two tickets


def test_moving_the_session_updates_the_calendar_entry_in_place(client, order):
    session = order.items.first().ticket_type.session
    before = Calendar.from_ical(_get(client, "order_calendar", order).content).walk("VEVENT")[0]
    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at + timedelta(hours=3))

    after = Calendar.from_ical(_get(client, "order_calendar", order).content).walk("VEVENT")[0]

    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) > int(before["sequence"])


def test_google_wallet_link_is_a_jwt_signed_with_the_service_account(
    client, order, settings, tmp_path
):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp_path / "google.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.GOOGLE_WALLET_ISSUER_ID = "3388000000012345678"
    settings.GOOGLE_WALLET_SERVICE_ACCOUNT_EMAIL = "wallet@eventum.iam.gserviceaccount.com"
    settings.GOOGLE_WALLET_PRIVATE_KEY = str(pem)
    item = order.items.first()

    response = _get(client, "ticket_google_wallet", order, item.pk)

    assert response.status_code == 302
    assert response["Location"].startswith("https://pay.google.com/gp/v/save/")
    token = response["Location"].rsplit("/", 1)[1]
    claims = jwt.decode(token, key.public_key(), algorithms=["RS256"], audience="google")
    assert claims["iss"] == "wallet@eventum.iam.gserviceaccount.com"
    assert claims["typ"] == "savetowallet"
    (ticket,) = claims["payload"]["eventTicketObjects"]
    assert ticket["barcode"]["value"] == qr_payload(item)
    assert ticket["id"].startswith(f"3388000000012345678.{order.code}-{item.pk}-")
    assert "buyer@example.kz" not in json.dumps(claims)


def test_google_wallet_is_offered_only_when_configured(client, order):
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Apple Wallet" in page
    assert "Google Wallet" not in page
    item = order.items.first()
    assert _get(client, "ticket_google_wallet", order, item.pk).status_code == 404


def test_production_without_apple_keys_offers_no_pass(client, order, settings):
    settings.PRODUCTION = True
    item = order.items.first()
    assert _get(client, "ticket_apple_wallet", order, item.pk).status_code == 404
    assert "Apple Wallet" not in client.get(order.get_absolute_url()).content.decode()


def test_only_the_buyer_gets_the_wallet_and_calendar_files(client, order):
    item = order.items.first()
    urls = [
        reverse("tickets:order_calendar", args=[order.code]),
        reverse("tickets:ticket_apple_wallet", args=[order.code, item.pk]),
    ]
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 404  # a stranger
        assert client.get(url, {"s": "wrong"}).status_code == 404


def test_no_pass_for_a_refunded_ticket_or_an_unpaid_order(client, order):
    item = order.items.first()
    OrderItem.objects.filter(pk=item.pk).update(status=OrderItem.Status.REFUNDED)
    assert _get(client, "ticket_apple_wallet", order, item.pk).status_code == 404
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PENDING)
    assert _get(client, "order_calendar", order).status_code == 404


def test_the_order_page_offers_wallet_and_calendar_to_the_buyer(client, order):
    page = client.get(order.get_absolute_url()).content.decode()
    assert reverse("tickets:order_calendar", args=[order.code]) in page
    for item in order.items.all():
        assert reverse("tickets:ticket_apple_wallet", args=[order.code, item.pk]) in page

"""Apple Wallet: one ticket as a signed ``.pkpass`` (a zip of pass.json, images, manifest.json
with each file's SHA-1, and a detached PKCS #7 signature of the manifest).

The pass shows the event, the session's date and time, the venue, the seat and the ticket's
QR code (the same payload as the PDF), in the order's language. It is built from the session as
it is now, so a pass downloaded after the organizer moved the session shows the new time.

A pass on a phone keeps itself current through Apple's PassKit web service
(``tickets.wallet.webservice``): the pass names the service (``webServiceURL``) and carries a
token of its own (``authenticationToken``, an HMAC under ``SECRET_KEY`` of the serial number and
the ticket's holder generation: the number of times it was given away). A returned or cancelled
ticket's pass is marked void, and so is a pass handed out before the ticket was given away: its
phone gets a void pass without the QR code, never the new holder's.
"""

import hashlib
import io
import json
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from events.seating.layouts import seat_label_shown
from tickets.delivery.links import site_url
from tickets.models import Order, OrderItem
from tickets.qr import qr_payload
from tickets.wallet.credentials import AppleSigner

IMAGES = Path(__file__).parent / "images"
IMAGE_FILES = ("icon.png", "icon@2x.png", "icon@3x.png", "logo.png", "logo@2x.png")
MEDIA_TYPE = "application/vnd.apple.pkpass"
BRAND_BLUE = "rgb(11, 87, 208)"


def serial_number(order: Order, item: OrderItem) -> str:
    """The same for every pass of the ticket: a pass downloaded again (after a new QR code)
    replaces the one already in the phone's wallet."""
    return f"{order.code}-{item.pk}"


def holder_generation(item: OrderItem) -> int:
    """How many times the ticket was given to someone else."""
    return item.transfers.count()


def authentication_token(serial: str, generation: int = 0) -> str:
    """The pass's own secret for the web service: the same for every download of the pass
    while the ticket stays with its holder, useless for any other serial number, never
    stored."""
    value = f"{serial}:{generation}"
    return salted_hmac("tickets.wallet.apple.authentication_token", value).hexdigest()[:40]


def token_generation(serial: str, token: str, *, current: int) -> int | None:
    """The holder generation whose pass carries ``token`` (``current`` or an earlier one);
    ``None`` when no pass of ``serial`` does."""
    for generation in range(current, -1, -1):
        if constant_time_compare(authentication_token(serial, generation), token):
            return generation
    return None


def web_service_url() -> str:
    """The absolute prefix of the web service; phones add ``v1/...`` to it."""
    return site_url(reverse("wallet_apple_log").removesuffix("v1/log"))


def pass_is_void(order: Order, item: OrderItem) -> bool:
    """A ticket that no longer admits (returned, cancelled) shows as void on the phone."""
    return order.status != Order.Status.PAID or item.status != OrderItem.Status.VALID


def qr_generation(item: OrderItem) -> str:
    """A short tag that changes whenever the ticket's QR code is re-issued (a transfer, the
    organizer's re-issue) and reveals nothing of the code itself."""
    return hashlib.sha256(item.secret.encode()).hexdigest()[:10]


def pass_json(order: Order, item: OrderItem, *, generation: int | None = None) -> dict:
    """The pass's description (Apple's PassKit format, event ticket style). ``generation``: the
    pass of an earlier holder (a void pass without the QR code); the current one by default."""
    current = holder_generation(item)
    given_away = generation is not None and generation < current
    generation = current if generation is None else generation
    session = item.ticket_type.session
    venue = order.event.venue
    language = order.language if order.language in dict(settings.LANGUAGES) else None
    with translation.override(language or settings.LANGUAGE_CODE):
        payload = qr_payload(item)
        auxiliary = [{"key": "venue", "label": _("Venue"), "value": venue.name}]
        if item.seat_label:
            seat = seat_label_shown(item.seat_label)
            auxiliary.append({"key": "seat", "label": _("Seat"), "value": seat})
        data = {
            "formatVersion": 1,
            "passTypeIdentifier": settings.WALLET_APPLE_PASS_TYPE_ID,
            "teamIdentifier": settings.WALLET_APPLE_TEAM_ID,
            "serialNumber": serial_number(order, item),
            "organizationName": "eventum",
            "description": _("Ticket: %(event)s") % {"event": order.event.title},
            "logoText": "eventum",
            "foregroundColor": "rgb(255, 255, 255)",
            "labelColor": "rgb(220, 230, 250)",
            "backgroundColor": BRAND_BLUE,
            "relevantDate": session.starts_at.isoformat(),
            "webServiceURL": web_service_url(),
            "authenticationToken": authentication_token(serial_number(order, item), generation),
            "barcodes": [
                {
                    "format": "PKBarcodeFormatQR",
                    "message": payload,
                    "messageEncoding": "iso-8859-1",
                    "altText": serial_number(order, item),
                }
            ],
            "eventTicket": {
                "primaryFields": [
                    {"key": "event", "label": _("Event"), "value": str(order.event.title)}
                ],
                "secondaryFields": [
                    {
                        "key": "starts",
                        "label": _("Starts"),
                        "value": session.starts_at.isoformat(),
                        "dateStyle": "PKDateStyleMedium",
                        "timeStyle": "PKTimeStyleShort",
                    },
                    {"key": "ticket", "label": _("Ticket"), "value": str(item.ticket_type.name)},
                ],
                "auxiliaryFields": auxiliary,
                "backFields": [
                    {"key": "order", "label": _("Order"), "value": order.code},
                    {
                        "key": "address",
                        "label": _("Address"),
                        "value": f"{venue.address}, {venue.city}",
                    },
                    {
                        "key": "organizer",
                        "label": _("Organizer"),
                        "value": str(order.event.organizer),
                    },
                ],
            },
        }
        if pass_is_void(order, item) or given_away:
            data["voided"] = True
        if given_away:
            del data["barcodes"]
            data["eventTicket"]["backFields"].insert(
                0,
                {
                    "key": "given",
                    "label": _("Ticket"),
                    "value": _("This ticket was given to someone else."),
                },
            )
        if venue.latitude is not None and venue.longitude is not None:
            data["locations"] = [
                {"latitude": float(venue.latitude), "longitude": float(venue.longitude)}
            ]
        return data


def _signature(manifest: bytes, signer: AppleSigner) -> bytes:
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(manifest)
        .add_signer(signer.certificate, signer.key, hashes.SHA256())  # type: ignore[arg-type]
        .add_certificate(signer.intermediate)
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )


def pkpass(
    order: Order, item: OrderItem, signer: AppleSigner, *, generation: int | None = None
) -> bytes:
    """The signed pass file of one ticket (of an earlier holder: ``generation``)."""
    described = pass_json(order, item, generation=generation)
    files = {"pass.json": json.dumps(described, ensure_ascii=False).encode()}
    for name in IMAGE_FILES:
        files[name] = (IMAGES / name).read_bytes()
    # Apple's manifest format: the SHA-1 of each file (the signature itself is SHA-256).
    digests = {
        name: hashlib.sha1(content, usedforsecurity=False).hexdigest()
        for name, content in files.items()
    }
    manifest = json.dumps(digests, sort_keys=True).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.writestr("manifest.json", manifest)
        archive.writestr("signature", _signature(manifest, signer))
    return buffer.getvalue()

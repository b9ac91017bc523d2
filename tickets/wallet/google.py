"""Google Wallet: the "save to Google Wallet" link of one ticket — a JWT signed with the
service account's key that carries the event ticket class and object (Google's REST format).

Nothing is sent to Google by the portal: the buyer's browser opens the link. The ticket
carries no e-mail, phone or name — only the event, session, venue, seat and QR payload.
"""

from datetime import timedelta

import jwt
from django.conf import settings
from django.utils import timezone, translation

from events.seating.layouts import seat_label_shown
from tickets.models import Order, OrderItem
from tickets.qr import qr_payload
from tickets.wallet.apple import qr_generation, serial_number

SAVE_URL = "https://pay.google.com/gp/v/save/"


def _text(value: str, language: str) -> dict:
    return {"defaultValue": {"language": language, "value": value}}


def save_claims(order: Order, item: OrderItem, *, origin: str) -> dict:
    """The JWT's claims: one event ticket class (the session) and one object (the ticket)."""
    issuer = settings.GOOGLE_WALLET_ISSUER_ID
    session = item.ticket_type.session
    venue = order.event.venue
    language = order.language if order.language in dict(settings.LANGUAGES) else "ru"
    with translation.override(language):
        class_id = f"{issuer}.session-{session.pk}"
        ticket_class = {
            "id": class_id,
            "issuerName": "eventum",
            "reviewStatus": "UNDER_REVIEW",
            "eventName": _text(str(order.event.title), language),
            "venue": {
                "name": _text(venue.name, language),
                "address": _text(f"{venue.address}, {venue.city}", language),
            },
            "dateTime": {
                "start": session.starts_at.isoformat(),
                **({"end": session.ends_at.isoformat()} if session.ends_at else {}),
            },
        }
        ticket = {
            # Google keeps an object once saved and a save link cannot change it: a re-issued
            # QR code (a transfer) makes a new object instead of showing the old, dead code.
            "id": f"{issuer}.{serial_number(order, item)}-{qr_generation(item)}",
            "classId": class_id,
            "state": "ACTIVE",
            "ticketNumber": serial_number(order, item),
            "ticketType": _text(str(item.ticket_type.name), language),
            "barcode": {
                "type": "QR_CODE",
                "value": qr_payload(item),
                "alternateText": serial_number(order, item),
            },
        }
        if item.seat_label:
            ticket["seatInfo"] = {"seat": _text(seat_label_shown(item.seat_label), language)}
    now = timezone.now()
    return {
        "iss": settings.GOOGLE_WALLET_SERVICE_ACCOUNT_EMAIL,
        "aud": "google",
        "typ": "savetowallet",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
        "origins": [origin],
        "payload": {"eventTicketClasses": [ticket_class], "eventTicketObjects": [ticket]},
    }


def save_link(order: Order, item: OrderItem, *, key: bytes, origin: str) -> str:
    """The link that adds the ticket to the buyer's Google Wallet."""
    token = jwt.encode(save_claims(order, item, origin=origin), key, algorithm="RS256")
    return SAVE_URL + token

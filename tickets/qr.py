"""The QR payload on a ticket: ``EVT1:<secret>``, made for the PDF and read back at the door.

Its own module because both delivery (printing) and check-in (scanning) need it and neither
should import the other for it."""

from tickets.models import OrderItem

QR_PREFIX = "EVT1:"


def qr_payload(item: OrderItem) -> str:
    """What the ticket's QR code carries."""
    return QR_PREFIX + item.secret


def code_to_secret(code: str) -> str:
    """The secret inside what was scanned or typed (with or without the ``EVT1:`` prefix)."""
    code = (code or "").replace("\x00", "").strip()
    if code.upper().startswith(QR_PREFIX):
        code = code[len(QR_PREFIX) :]
    return code.strip()[:64]

"""Masked display of blocked subjects in organizer lists, exports and API answers.

Typical use in an attendee list or export (one query for the whole page)::

    index = blocked_index(emails=[o.email for o in orders], phones=[o.phone for o in orders])
    for order in orders:
        shown = subject_display(
            name=order.buyer_name, email=order.email, phone=order.phone,
            blocked=index.is_blocked(email=order.email, phone=order.phone),
        )
        # shown.name, shown.email, shown.phone, shown.masked
"""

from dataclasses import dataclass
from typing import Any

MASK = "***"


def mask_email(email: str) -> str:
    """``aigerim@mail.kz`` → ``a***@m***.kz``."""
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    if not domain:
        return (local[:1] or "") + MASK
    host, dot, tld = domain.rpartition(".")
    if not dot:
        return f"{local[:1]}{MASK}@{domain[:1]}{MASK}"
    return f"{local[:1]}{MASK}@{host[:1]}{MASK}.{tld}"


def mask_phone(phone: str) -> str:
    """``+77011234567`` → ``+7********67``: the country code and the last two digits."""
    if not phone:
        return ""
    keep_head = 2 if phone.startswith("+") else 1
    head, body = phone[:keep_head], phone[keep_head:]
    tail = body[-2:] if len(body) > 4 else ""
    return head + "*" * max(len(body) - len(tail), 3) + tail


def mask_name(name: str) -> str:
    """``Иван Иванов`` → ``И*** И***``: the first letter of each word."""
    return " ".join(word[:1] + MASK for word in (name or "").split())


@dataclass(frozen=True)
class SubjectDisplay:
    name: str
    email: str
    phone: str
    masked: bool


def subject_display(
    *, name: str = "", email: str = "", phone: str = "", blocked: bool
) -> SubjectDisplay:
    """The subject's name, e-mail and phone as an organizer may see them (masked if blocked)."""
    if not blocked:
        return SubjectDisplay(name=name or "", email=email or "", phone=phone or "", masked=False)
    return SubjectDisplay(
        name=mask_name(name), email=mask_email(email), phone=mask_phone(phone), masked=True
    )


def mask_row(row: dict[str, Any], *, blocked: bool, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """An export row with every personal value masked when the subject is blocked.

    Known keys (``email``, ``phone``, ``name`` and names containing them) are masked by kind;
    every other value except those in ``keep`` (e.g. ticket code, seat, ticket type) becomes
    ``***``, since answers to purchase-form questions are personal data too.
    """
    if not blocked:
        return dict(row)
    masked: dict[str, Any] = {}
    for key, value in row.items():
        lowered = key.lower()
        if key in keep or value in (None, ""):
            masked[key] = value
        elif "email" in lowered or "e-mail" in lowered:
            masked[key] = mask_email(str(value))
        elif "phone" in lowered:
            masked[key] = mask_phone(str(value))
        elif "name" in lowered:
            masked[key] = mask_name(str(value))
        else:
            masked[key] = MASK
    return masked

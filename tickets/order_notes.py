"""Notes of the order history in the reader's language.

Services write short English notes into ``OrderLog.note`` (a trail for staff and a stable
text for tests); the cabinet shows them translated. A note typed by a person (a cancellation
reason) is shown as typed.
"""

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from eventum.money import format_kzt
from tickets.models import Order


def _status(value: str) -> str:
    try:
        return str(Order.Status(value).label)
    except ValueError:
        return value


# (pattern, how to write it): the first pattern matching the whole note wins.
_NOTES: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (re.compile(r"checkout"), lambda g: _("placed at checkout")),
    (re.compile(r"free order"), lambda g: _("free order, nothing to pay")),
    (re.compile(r"payment time is over"), lambda g: _("the time to pay is over")),
    (re.compile(r"event cancelled"), lambda g: _("the event was cancelled")),
    (re.compile(r"test"), lambda g: _("test payment")),
    (re.compile(r"refunded in CloudPayments"), lambda g: _("refunded in CloudPayments")),
    (
        re.compile(r"refunded in CloudPayments before its payment was reported"),
        lambda g: _("refunded in CloudPayments before its payment was reported"),
    ),
    (
        re.compile(r"partial refund (?P<amount>[\d.]+): (?P<note>.*)", re.S),
        lambda g: (
            _("partial refund of %(amount)s: %(note)s")
            % {"amount": format_kzt(g["amount"]), "note": order_note_display(g["note"])}
        ),
    ),
    (
        re.compile(r"partial refund (?P<amount>[\d.]+):?"),
        lambda g: _("partial refund of %(amount)s") % {"amount": format_kzt(g["amount"])},
    ),
    (
        re.compile(r"late payment of (?P<amount>[\d.]+) refunded: (?P<status>\w+), no tickets"),
        lambda g: (
            _("a late payment of %(amount)s was refunded (order %(status)s, no tickets)")
            % {"amount": format_kzt(g["amount"]), "status": _status(g["status"]).lower()}
        ),
    ),
    (
        re.compile(r"returned by the buyer under the event's refund rules"),
        lambda g: _("returned by the buyer under the event's refund rules"),
    ),
    (
        re.compile(r"ticket (?P<ticket>\S+) given to someone else; new QR code"),
        lambda g: (
            _("ticket %(ticket)s given to someone else; new QR code") % {"ticket": g["ticket"]}
        ),
    ),
    (
        re.compile(r"QR code of ticket (?P<ticket>\S+) re-issued"),
        lambda g: _("QR code of ticket %(ticket)s re-issued") % {"ticket": g["ticket"]},
    ),
    (
        re.compile(r"(?P<reason>.+), flagged for staff review", re.S),
        lambda g: _("%(reason)s — flagged for staff review") % {"reason": g["reason"]},
    ),
]


def order_note_display(note: str) -> str:
    """``note`` as the reader should see it: a known service note translated, else as is."""
    for pattern, write in _NOTES:
        match = pattern.fullmatch(note)
        if match:
            return write(match.groupdict())
    return note


# Groups of the patterns above that hold text a person typed (which may name someone).
_TYPED_GROUPS = frozenset({"note", "reason"})


def order_note_without_typed_text(note: str) -> str:
    """``note`` when a service wrote it (a known note with no typed part), else ``""``: what a
    note keeps once its order is made anonymous."""
    for pattern, _write in _NOTES:
        match = pattern.fullmatch(note)
        if match:
            typed = any(match.group(name) for name in _TYPED_GROUPS & set(match.groupdict()))
            return "" if typed else note
    return ""

"""The state an embedded checkout carries from page to page instead of a session cookie.

A widget opens in an iframe on the organizer's site, where browsers increasingly drop
third-party cookies. So the cart token, the organizer, the host page's origin and the language
travel in one signed value (``?w=…`` on links, a hidden field in forms). The signature stops
anyone from pointing the widget at another organizer, another cart or another ``postMessage``
target; the cart token inside is as secret as a session id, which is why the widget pages send
no ``Referer`` to other sites.
"""

from dataclasses import dataclass

from django.core import signing

SALT = "tickets.widget.v1"
# A widget left open longer than this starts over (the cart's holds expire much sooner).
MAX_AGE_SECONDS = 6 * 60 * 60
PARAM = "w"


@dataclass(frozen=True)
class WidgetState:
    cart_token: str
    organizer_id: int
    origin: str
    language: str
    # The waiting room's admission pass, once this widget's buyer was let in (else empty).
    admission: str = ""

    def dumps(self) -> str:
        data = {"c": self.cart_token, "o": self.organizer_id, "r": self.origin, "l": self.language}
        if self.admission:
            data["a"] = self.admission
        return signing.dumps(data, salt=SALT, compress=True)

    @property
    def visitor(self) -> str:
        """Who the waiting room knows this widget as: its own cart (no cookies in a frame)."""
        return f"w:{self.cart_token}"


class WidgetTokenInvalid(Exception):
    """Missing, tampered with or too old: the widget must be opened again."""


def widget_state_load(value: str | None) -> WidgetState:
    if not value:
        raise WidgetTokenInvalid()
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE_SECONDS)
        return WidgetState(
            cart_token=str(data["c"]),
            organizer_id=int(data["o"]),
            origin=str(data["r"]),
            language=str(data["l"]),
            admission=str(data.get("a", "")),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise WidgetTokenInvalid() from exc

"""The admission pass: a signed, short-lived statement "this visitor may buy for this event".

It is bound to the visitor it was issued to — the browser's queue cookie on the portal, the
widget's own cart in the widget, the account in the API — so a pass copied into another
browser, or altered, or older than ``WAITROOM_PASS_MINUTES``, is refused. Nothing is stored:
the signature (``django.core.signing``, HMAC with the secret key) is the proof.
"""

from django.conf import settings
from django.core import signing

SALT = "tickets.waitroom.pass.v1"


def pass_issue(*, event_id: int, visitor: str) -> str:
    return signing.dumps({"e": event_id, "v": visitor}, salt=SALT, compress=False)


def pass_valid(token: str | None, *, event_id: int, visitor: str) -> bool:
    """True for an untampered, unexpired pass of this event issued to this visitor."""
    if not token or not visitor:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.WAITROOM_PASS_MINUTES * 60)
    except signing.BadSignature:  # also SignatureExpired
        return False
    return isinstance(data, dict) and data.get("e") == event_id and data.get("v") == visitor

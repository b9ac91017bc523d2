"""The signature of a webhook: HMAC-SHA256 with the endpoint's secret over
``"<timestamp>.<body>"``, sent as ``X-Eventum-Signature: sha256=<hex>`` next to
``X-Eventum-Timestamp: <unix seconds>``. The receiver recomputes it over the raw body and refuses
old timestamps (a replayed request); the README shows how."""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Eventum-Signature"
TIMESTAMP_HEADER = "X-Eventum-Timestamp"
EVENT_HEADER = "X-Eventum-Event"
DELIVERY_HEADER = "X-Eventum-Delivery"
SECRET_PREFIX = "whsec_"


def webhook_secret_new() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()

"""The trail of the money path: every provider notification and every status answer is kept
(``PaymentNotification``) for disputes, without card data."""

import json
import re
from collections.abc import Mapping
from typing import Any

from eventum.rows import instances_insert
from tickets.models import Order, PaymentNotification

# Card numbers (even masked), expiry, card tokens and ids, the cardholder's name.
CARD_FIELD = re.compile(r"card|token|cvc|cvv|(^|_)pan($|_)|^name$", re.IGNORECASE)
REDACTED = "[removed]"


def data_without_card(data: Any) -> Any:
    """``data`` with every card field's value replaced, nested dicts and lists too."""
    if isinstance(data, Mapping):
        return {
            key: REDACTED if CARD_FIELD.search(str(key)) else data_without_card(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [data_without_card(value) for value in data]
    return data


def notification_record(
    *,
    provider: str,
    kind: str,
    data: Mapping[str, Any],
    signature_valid: bool,
    outcome: str,
    order: Order | None = None,
    needs_review: bool = False,
    transaction_id: str = "",
    ip: str | None = None,
) -> PaymentNotification:
    """Keep one notification (or status answer, ``kind="status"``) on record."""
    body = json.dumps(data_without_card(dict(data)), ensure_ascii=False, default=str)
    return instances_insert(
        [
            PaymentNotification(
                provider=provider,
                kind=kind,
                body=body[:20000],
                signature_valid=signature_valid,
                outcome=outcome[:200],
                needs_review=needs_review,
                order=order,
                transaction_id=transaction_id.strip()[:64],
                ip_address=ip or None,
            )
        ]
    )[0]


# What a provider's data may keep once its payer is made anonymous: the money and the ids and
# dates accounts need (key compared lower-case, without ``pg_`` and underscores). Anything else —
# e-mail, phone, name, account id, IP address, description — goes.
FISCAL_KEYS = frozenset(
    {
        "amount",
        "paymentamount",
        "currency",
        "paymentcurrency",
        "transactionid",
        "invoiceid",
        "orderid",
        "paymentid",
        "id",
        "reference",
        "status",
        "statusname",
        "code",
        "reasoncode",
        "result",
        "operationtype",
        "testmode",
        "datetime",
        "date",
        "createddate",
        "authdate",
        "confirmdate",
        "paymentdate",
        "terminal",
        "terminalid",
        "secrethashsha256",
    }
)


def data_fiscal_only(data: Any) -> Any:
    """``data`` with only the keys accounts need (``FISCAL_KEYS``), nested dicts too; lists and
    other values under a kept key stay as they are."""
    if not isinstance(data, Mapping):
        return {}
    kept: dict[str, Any] = {}
    for key, value in data.items():
        plain = str(key).lower().removeprefix("pg_").replace("_", "")
        if isinstance(value, Mapping):
            inner = data_fiscal_only(value)
            if inner:
                kept[key] = inner
        elif plain in FISCAL_KEYS:
            kept[key] = value
    return kept


def body_fiscal_only(body: str) -> str:
    """A stored notification body (JSON) reduced to ``data_fiscal_only``; ``""`` if unreadable."""
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return ""
    return json.dumps(data_fiscal_only(data), ensure_ascii=False) if data else ""

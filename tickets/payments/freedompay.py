"""Freedom Pay (docs.freedompay.kz, formerly PayBox.money): hosted payment page, signed
check/result notifications, status and refunds.

* Every request and answer is signed: ``pg_sig`` = MD5 of the script name (the last path
  segment of the URL called, e.g. ``init_payment.php``), the values of all other fields sorted
  by name, and the secret key, joined with ``;``.
* ``start``: ``POST {api}/init_payment.php`` answers (XML) ``pg_payment_id`` and
  ``pg_redirect_url``, the payment page the buyer goes to. Amounts are tenge, as signed.
* ``check`` (before the charge) and ``result`` (after it) come to our URLs signed with the
  last path segment of that URL; we answer a signed XML ``ok`` / ``rejected``. Freedom Pay
  retries ``result`` for two hours, so an answer repeated is the same answer.
* Status: ``POST {api}/g2g/status_v2``; refunds (full or part): ``POST {api}/g2g/refund``.

Credentials (merchant id, secret key) and the host come from settings (``FREEDOMPAY_*``);
``FREEDOMPAY_TESTING_MODE`` sends ``pg_testing_mode=1`` (the documentation tests on the real
host; a separate test host is not documented for .kz).

Not confirmed in the official documentation: which script name signs a callback to a URL
ending in ``/`` (we accept the last path segment and the empty name), and the full list of
``pg_payment_status`` values (``success`` paid; ``error``, ``failed``, ``revoked``,
``refunded``, ``incomplete`` not; anything else still pending).
"""

import hashlib
import hmac
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.delivery.links import site_url
from tickets.errors import PaymentError, RefundError, TicketsError
from tickets.models import Order, Payment
from tickets.payments.base import (
    BasePaymentProvider,
    NotificationResult,
    PaymentStart,
    ProviderState,
    ProviderStatus,
    amount_text,
    origin_of,
)
from tickets.payments.notifications import notification_record
from tickets.payments.services import payment_complete
from tickets.payments.transport import http_call
from tickets.services.order_states import Actor

NAME = "freedompay"
LANGUAGES = {"ru": "ru", "kk": "kz", "en": "en"}
PAID = {"success"}
FAILED = {"error", "failed", "revoked", "refunded", "incomplete"}


def signature(script: str, fields: Mapping[str, str], secret: str) -> str:
    values = [str(fields[key]) for key in sorted(fields) if key != "pg_sig"]
    return hashlib.md5(";".join([script, *values, secret]).encode()).hexdigest()


def signed(script: str, fields: Mapping[str, str]) -> dict[str, str]:
    """``fields`` with a fresh ``pg_salt`` and their ``pg_sig``."""
    out = {**fields, "pg_salt": secrets.token_hex(8)}
    out["pg_sig"] = signature(script, out, settings.FREEDOMPAY_SECRET_KEY)
    return out


def xml_fields(body: bytes) -> dict[str, str]:
    """The top-level fields of an XML answer (``<response><pg_status>ok</pg_status>…``)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return {}
    return {child.tag: (child.text or "") for child in root}


def xml_answer(script: str, status: str, description: str = "") -> str:
    fields = signed(script, {"pg_status": status, "pg_description": description})
    root = ET.Element("response")
    for key, value in fields.items():
        ET.SubElement(root, key).text = value
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode")


def form_fields(body: bytes, content_type: str) -> dict[str, str]:
    """A notification's fields, from multipart/form-data (as documented) or url-encoding."""
    if content_type.startswith("multipart/"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields = {}
        for part in message.iter_parts():
            field = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if field and isinstance(payload, bytes):
                fields[str(field)] = payload.decode("utf-8", "replace")
        return fields
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def script_names(url: str) -> list[str]:
    """The script name Freedom Pay signs our callback with: the part after the last ``/``.
    Our URLs end with a slash, so both the last segment and the empty string are accepted."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return [segments[-1] if segments else "", ""]


def _callback_url(kind: str) -> str:
    return site_url(reverse("tickets:payment_notification", args=[NAME, kind]))


class FreedomPayProvider(BasePaymentProvider):
    name = NAME
    label = _("Bank card (Freedom Pay)")
    logo = "tickets/payments/freedompay.svg"
    recipient = "Freedom Pay (Freedom Finance Kazakhstan)"
    processing_country = "KZ"
    personal_fields = ()  # its page asks for the card; we send no name, e-mail or phone
    notification_kinds = ("check", "result")

    def is_configured(self) -> bool:
        return bool(settings.FREEDOMPAY_MERCHANT_ID and settings.FREEDOMPAY_SECRET_KEY)

    def page_origins(self) -> list[str]:
        # The payment page is on customer.freedompay.kz (or the API host in older set-ups).
        return ["https://*.freedompay.kz", origin_of(settings.FREEDOMPAY_API_URL)]

    def _call(self, script_path: str, fields: Mapping[str, str]) -> dict[str, str]:
        script = script_path.rsplit("/", 1)[-1]
        body = signed(script, {"pg_merchant_id": settings.FREEDOMPAY_MERCHANT_ID, **fields})
        url = f"{settings.FREEDOMPAY_API_URL.rstrip('/')}/{script_path}"
        answer = http_call("POST", url, form=body)
        return xml_fields(answer.body)

    def start(self, *, payment: Payment, return_url: str) -> PaymentStart:
        order = payment.order
        reference = f"{order.code}-{payment.pk}"
        due = order.payment_due_at or timezone.now() + timedelta(days=1)
        lifetime = max(300, int((due - timezone.now()).total_seconds()))
        answer = self._call(
            "init_payment.php",
            {
                "pg_order_id": reference,
                "pg_amount": amount_text(payment.amount),
                "pg_currency": payment.currency,
                "pg_description": f"{order.code} {order.event}"[:250],
                "pg_language": LANGUAGES.get(order.language, "ru"),
                "pg_lifetime": str(lifetime),
                "pg_check_url": _callback_url("check"),
                "pg_result_url": _callback_url("result"),
                "pg_request_method": "POST",
                "pg_success_url": return_url,
                "pg_failure_url": return_url,
                "pg_testing_mode": "1" if settings.FREEDOMPAY_TESTING_MODE else "0",
            },
        )
        if answer.get("pg_status") != "ok" or not answer.get("pg_redirect_url"):
            raise PaymentError()
        return PaymentStart(
            redirect_url=answer["pg_redirect_url"],
            reference=reference,
            data={"payment_id": answer.get("pg_payment_id", "")},
        )

    def status(self, *, payment: Payment) -> ProviderStatus:
        payment_id = payment.provider_data.get("payment_id", "")
        if not payment_id:
            return ProviderStatus(state=ProviderState.PENDING)
        answer = self._call(
            "g2g/status_v2",
            {"pg_payment_id": payment_id, "pg_order_id": payment.provider_reference},
        )
        name = answer.get("pg_payment_status", "")
        if answer.get("pg_status") != "ok":
            return ProviderStatus(state=ProviderState.PENDING, raw=answer)
        state = (
            ProviderState.PAID
            if name in PAID
            else ProviderState.FAILED
            if name in FAILED
            else ProviderState.PENDING
        )
        return ProviderStatus(
            state=state,
            transaction_id=payment_id,
            amount=_amount(answer.get("pg_amount")),
            currency=answer.get("pg_currency", ""),
            raw=answer,
        )

    def refund(self, *, payment: Payment, amount: Decimal) -> str:
        if not payment.provider_transaction_id:
            raise RefundError()
        try:
            answer = self._call(
                "g2g/refund",
                {
                    "pg_payment_id": payment.provider_transaction_id,
                    "pg_amount": amount_text(amount),
                },
            )
        except PaymentError as exc:
            raise RefundError() from exc
        if answer.get("pg_status") != "ok" or answer.get("pg_refund_status") == "error":
            raise RefundError(answer.get("pg_error_description") or RefundError.default_message)
        return answer.get("pg_payment_refund_id", "")

    def notification_handle(
        self,
        *,
        kind: str,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str],
        ip: str | None,
        url: str,
    ) -> NotificationResult:
        data = form_fields(body, content_type)
        given = data.get("pg_sig", "")
        secret = settings.FREEDOMPAY_SECRET_KEY
        script = next(
            (
                name
                for name in script_names(url)
                if secret and given and hmac.compare_digest(signature(name, data, secret), given)
            ),
            None,
        )
        record = {"provider": NAME, "kind": kind, "data": data, "ip": ip}
        transaction_id = data.get("pg_payment_id", "")
        if script is None:
            notification_record(
                **record,
                signature_valid=False,
                outcome="bad signature",
                transaction_id=transaction_id,
            )
            return NotificationResult(403, "bad signature", body="", content_type="text/plain")
        payment = (
            Payment.objects.select_related("order")
            .filter(provider=NAME, provider_reference=data.get("pg_order_id", ""))
            .first()
        )
        with transaction.atomic():
            status, text, needs_review = self._apply(kind, data, payment)
        order = payment.order if payment else None
        notification_record(
            **record,
            signature_valid=True,
            outcome=f"{status}: {text}",
            order=order,
            needs_review=needs_review,
            transaction_id=transaction_id,
        )
        return NotificationResult(
            200,
            f"{status}: {text}",
            order,
            needs_review,
            body=xml_answer(script, status, text),
            content_type="application/xml",
        )

    def _apply(self, kind: str, data: Mapping[str, str], payment: Payment | None):
        """(answer, why, flagged): ``ok`` accepts, ``rejected`` asks Freedom Pay to reverse."""
        if payment is None:
            return "rejected", "unknown order", False
        order = payment.order
        amount, currency = _amount(data.get("pg_amount")), data.get("pg_currency", "KZT")
        if amount != payment.amount or currency.upper() != payment.currency:
            reason = f"Freedom Pay {kind}: {data.get('pg_amount')} {currency} != {payment.amount}"
            Order.objects.filter(pk=order.pk).update(needs_review=True, review_reason=reason)
            return "rejected", "wrong amount or currency", True
        if kind == "check":
            payable = order.status == Order.Status.PENDING and payment.status == "created"
            return ("ok", "payable", False) if payable else ("rejected", "order not payable", False)
        transaction_id = data.get("pg_payment_id", "")
        if payment.status == Payment.Status.SUCCEEDED:
            return "ok", "duplicate: already applied", False
        succeeded = data.get("pg_result") == "1"
        try:
            with transaction.atomic():
                payment_complete(
                    payment_id=payment.pk,
                    succeeded=succeeded,
                    transaction_id=transaction_id if succeeded else None,
                    actor=Actor(label=NAME),
                    note=f"Freedom Pay {transaction_id}",
                )
        except IntegrityError:
            return "ok", "duplicate: already applied", False
        except TicketsError as exc:
            return "error", str(exc.message), True
        return "ok", "paid" if succeeded else "failed", False


def _amount(value: str | None) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None

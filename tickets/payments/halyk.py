"""Halyk Bank ePay (epayment.kz): token per invoice, the hosted payment form, ``postLink``.

* ``start``: an OAuth2 token bound to our invoice (``POST {oauth}`` with client id/secret,
  terminal, invoiceID, amount, currency, a per-payment ``secret_hash``, postLink and
  failurePostLink); the buyer then opens a page of ours that loads Halyk's
  ``payment-api.js`` and calls ``halyk.pay()`` with the widget parameters (the token included),
  which takes them to Halyk's payment form.
* ``postLink`` / ``failurePostLink`` arrive as JSON POSTs with no signature. They are trusted
  only when they echo the payment's ``secret_hash`` (we keep its SHA-256, never the value), and
  even then only as a reason to ask: ``GET {api}/check-status/payment/transaction/:invoiceId``
  decides (``CHARGE``/``AUTH`` paid; ``REJECT``/``FAILED``/``CANCEL``/``REFUND`` not), with
  its amount, currency and terminal compared to ours.
* Refunds: ``POST {api}/operation/:id/refund`` (``?amount=`` for part of it, at least 10 ₸),
  with a ``webapi`` token.

Credentials and hosts come from settings (``HALYK_EPAY_*``); test terminal defaults outside
production. invoiceId: 6–15 digits, unique per terminal and unique in its last six digits.

Not confirmed in the official documentation (so kept in settings, easy to change): the test
widget script host (taken from an SDK), how often a postLink is retried, and whether the
token endpoint takes url-encoding as well as form-data (we send url-encoding, as SDKs do).
"""

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tickets.delivery.links import site_url
from tickets.errors import PaymentError, RefundError
from tickets.models import Payment
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
from tickets.payments.reconcile import payment_settle
from tickets.payments.transport import http_call
from tickets.services.order_states import Actor

NAME = "halyk"
WEBAPI_SCOPE = "webapi usermanagement email_send verification statement statistics payment"
PAID_STATUSES = {"CHARGE", "AUTH"}
FAILED_STATUSES = {"REJECT", "FAILED", "CANCEL", "CANCEL_OLD", "REFUND"}
MIN_REFUND = Decimal("10")
LANGUAGES = {"ru": "RU", "kk": "KZ", "en": "EN"}


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invoice_id_for(payment: Payment) -> str:
    """12 digits: 6 random, then the payment's id modulo a million (unique last six digits
    for a million payments, and no clash with other shops on the shared test terminal)."""
    return f"{secrets.randbelow(900000) + 100000}{payment.pk % 10**6:06d}"


def _callback_url(kind: str) -> str:
    return site_url(reverse("tickets:payment_notification", args=[NAME, kind]))


class HalykEpayProvider(BasePaymentProvider):
    name = NAME
    label = _("Bank card (Halyk ePay)")
    logo = "tickets/payments/halyk.svg"
    recipient = "Halyk Bank of Kazakhstan (ePay)"
    processing_country = "KZ"
    personal_fields = ()  # the form asks for the card itself; we send no name, e-mail or phone
    notification_kinds = ("post", "failure")

    def is_configured(self) -> bool:
        return bool(
            settings.HALYK_EPAY_CLIENT_ID
            and settings.HALYK_EPAY_CLIENT_SECRET
            and settings.HALYK_EPAY_TERMINAL_ID
        )

    def page_origins(self) -> list[str]:
        # payment-api.js sends the buyer to the payment form on its own host.
        return [origin_of(settings.HALYK_EPAY_WIDGET_URL)]

    # --- the API --------------------------------------------------------------------------

    def _token(self, extra: Mapping[str, str], scope: str) -> dict[str, Any]:
        fields = {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_id": settings.HALYK_EPAY_CLIENT_ID,
            "client_secret": settings.HALYK_EPAY_CLIENT_SECRET,
            "terminal": settings.HALYK_EPAY_TERMINAL_ID,
            **extra,
        }
        answer = http_call("POST", settings.HALYK_EPAY_OAUTH_URL, form=fields)
        token = answer.json()
        if answer.status != 200 or not token.get("access_token"):
            raise PaymentError()
        return token

    def _api(self, method: str, path: str) -> tuple[int, dict[str, Any]]:
        token = self._token({}, WEBAPI_SCOPE)
        answer = http_call(
            method,
            settings.HALYK_EPAY_API_URL.rstrip("/") + path,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        return answer.status, answer.json()

    # --- the interface --------------------------------------------------------------------

    def start(self, *, payment: Payment, return_url: str) -> PaymentStart:
        order = payment.order
        invoice_id = invoice_id_for(payment)
        secret_hash = secrets.token_urlsafe(24)
        amount = amount_text(payment.amount)
        post_link, failure_link = _callback_url("post"), _callback_url("failure")
        token = self._token(
            {
                "invoiceID": invoice_id,
                "secret_hash": secret_hash,
                "amount": amount,
                "currency": payment.currency,
                "postLink": post_link,
                "failurePostLink": failure_link,
            },
            "payment",
        )
        description = f"{order.code} {order.event}".encode()[:125].decode("utf-8", "ignore")
        widget = {
            "script": settings.HALYK_EPAY_WIDGET_URL,
            "invoiceId": invoice_id,
            "backLink": return_url,
            "failureBackLink": return_url,
            "postLink": post_link,
            "failurePostLink": failure_link,
            "language": LANGUAGES.get(order.language, "RU"),
            "description": description,
            "terminal": settings.HALYK_EPAY_TERMINAL_ID,
            "amount": amount,
            "currency": payment.currency,
            "auth": {key: token.get(key) for key in ("access_token", "expires_in", "token_type")},
        }
        page = reverse("tickets:halyk_payment_page", kwargs={"public_id": payment.public_id})
        return PaymentStart(
            redirect_url=page,
            widget=widget,
            reference=invoice_id,
            data={"secret_hash_sha256": secret_digest(secret_hash)},
        )

    def status(self, *, payment: Payment) -> ProviderStatus:
        code, data = self._api(
            "GET", f"/check-status/payment/transaction/{payment.provider_reference}"
        )
        found = data.get("transaction") if isinstance(data.get("transaction"), dict) else {}
        if code != 200 or str(data.get("resultCode")) != "100" or not found:
            return ProviderStatus(state=ProviderState.PENDING, raw=data)
        name = str(found.get("statusName", "")).upper()
        state = (
            ProviderState.PAID
            if name in PAID_STATUSES
            else ProviderState.FAILED
            if name in FAILED_STATUSES
            else ProviderState.PENDING
        )
        try:
            amount: Decimal | None = Decimal(str(found.get("amount"))).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            amount = None
        terminal = str(found.get("terminal") or found.get("terminalID") or "")
        if terminal and terminal != settings.HALYK_EPAY_TERMINAL_ID:
            state = ProviderState.PENDING  # another shop's invoice: nothing to act on
        return ProviderStatus(
            state=state,
            transaction_id=str(found.get("id") or ""),
            amount=amount,
            currency=str(found.get("currency", "")),
            raw=data,
        )

    def refund(self, *, payment: Payment, amount: Decimal) -> str:
        if not payment.provider_transaction_id:
            raise RefundError()
        if amount < MIN_REFUND:
            raise RefundError(_("Halyk ePay refunds at least 10 ₸."))
        external_id = secrets.token_hex(8)
        query = {"externalID": external_id}
        if amount < payment.amount:
            query["amount"] = amount_text(amount)
        try:
            code, data = self._api(
                "POST", f"/operation/{payment.provider_transaction_id}/refund?{urlencode(query)}"
            )
        except PaymentError as exc:
            raise RefundError() from exc
        if code != 200:
            raise RefundError(str(data.get("message") or RefundError.default_message))
        return external_id

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
        """A postLink: its secret, then the status API decides; every call is recorded."""
        try:
            data = json.loads(body.decode("utf-8") or "{}")
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        invoice_id = str(data.get("invoiceId", "")).strip()
        payment = (
            Payment.objects.select_related("order")
            .filter(provider=NAME, provider_reference=invoice_id)
            .first()
            if invoice_id
            else None
        )
        expected = payment.provider_data.get("secret_hash_sha256", "") if payment else ""
        valid = bool(expected) and hmac.compare_digest(
            secret_digest(str(data.get("secret_hash", ""))), expected
        )
        record = {"provider": NAME, "kind": kind, "data": data, "ip": ip}
        if payment is None or not valid:
            notification_record(
                **record,
                signature_valid=False,
                outcome="unknown invoice or wrong secret_hash",
                transaction_id=str(data.get("id", "")),
            )
            return NotificationResult(403, "refused", body='{"message": "refused"}')
        result = self._settle(payment)
        notification_record(
            **record,
            signature_valid=True,
            outcome=result.outcome,
            order=payment.order,
            needs_review=result.needs_review,
            transaction_id=str(data.get("id", "")),
        )
        return result

    def _settle(self, payment: Payment) -> NotificationResult:
        """Ask the status API and apply its answer (the notification only says "ask")."""
        outcome = payment_settle(payment=payment, provider=self, actor=Actor(label=NAME))
        return NotificationResult(
            200,
            outcome.text,
            payment.order,
            needs_review=outcome.needs_review,
            body=json.dumps({"code": "ok"}),
        )

"""CloudPayments (cloudpayments.kz / .ru): hosted payment page, signed notifications, refunds.

* ``start`` creates a CloudPayments order (``POST /orders/create``) and sends the buyer to its
  payment page; ``InvoiceId`` is our order code.
* Notifications (Check, Pay, Fail, Refund) arrive as form-encoded or JSON POSTs signed with
  HMAC-SHA256 of the body under the API secret, base64, in ``Content-HMAC`` /
  ``X-Content-HMAC``. We answer ``{"code": 0}`` to accept; Check may answer 10 (unknown
  invoice), 12 (wrong amount) or 13 (payment cannot be accepted).
* Refunds: ``POST /payments/refund`` with HTTP basic auth (public id, API secret); status:
  ``POST /payments/find`` by invoice id.
* Accounts registered in Kazakhstan use ``api.cloudpayments.kz`` (the default host).

The HTTP calls go through ``CloudPaymentsClient``; tests swap in their own client.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib import error, request
from urllib.parse import parse_qsl, unquote_plus

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tickets.errors import PaymentError, RefundError
from tickets.models import Payment
from tickets.payments.base import (
    BasePaymentProvider,
    NotificationResult,
    PaymentStart,
    ProviderState,
    ProviderStatus,
    origin_of,
)

CODE_OK = 0
CODE_BAD_INVOICE = 10
CODE_BAD_AMOUNT = 12
CODE_REJECTED = 13


class CloudPaymentsClient:
    """The few API calls we make. ``transport(url, payload, auth) -> dict`` does the HTTP."""

    def __init__(
        self,
        *,
        public_id: str,
        api_secret: str,
        base_url: str,
        transport: Callable[[str, dict, tuple[str, str]], dict] | None = None,
    ) -> None:
        self.public_id = public_id
        self.api_secret = api_secret
        self.base_url = base_url.rstrip("/")
        self.transport = transport or _http_post

    def _call(self, path: str, payload: dict) -> dict:
        if not self.public_id or not self.api_secret:
            raise PaymentError(_("The payment provider is not configured."))
        answer = self.transport(
            f"{self.base_url}{path}", payload, (self.public_id, self.api_secret)
        )
        if not answer.get("Success"):
            raise PaymentError(str(answer.get("Message") or PaymentError.default_message))
        return answer.get("Model") or {}

    def create_order(
        self,
        *,
        amount: Decimal,
        currency: str,
        description: str,
        email: str,
        invoice_id: str,
        return_url: str = "",
    ) -> dict:
        return self._call(
            "/orders/create",
            {
                "Amount": float(amount),
                "Currency": currency,
                "Description": description,
                "Email": email,
                "InvoiceId": invoice_id,
                "AccountId": email,
                "RequireConfirmation": False,
                "SendEmail": False,
                "SuccessRedirectUrl": return_url,
                "FailRedirectUrl": return_url,
            },
        )

    def find(self, *, invoice_id: str) -> dict:
        return self._call("/payments/find", {"InvoiceId": invoice_id})

    def refund(self, *, transaction_id: str, amount: Decimal) -> dict:
        return self._call(
            "/payments/refund", {"TransactionId": int(transaction_id), "Amount": float(amount)}
        )


def _http_post(url: str, payload: dict, auth: tuple[str, str]) -> dict:
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    req = request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
        method="POST",
    )
    try:
        with request.urlopen(req, timeout=20) as response:
            return json.loads(response.read().decode() or "{}")
    except (error.URLError, TimeoutError, ValueError) as exc:
        raise PaymentError() from exc


def default_client() -> CloudPaymentsClient:
    return CloudPaymentsClient(
        public_id=settings.CLOUDPAYMENTS_PUBLIC_ID,
        api_secret=settings.CLOUDPAYMENTS_API_SECRET,
        base_url=settings.CLOUDPAYMENTS_API_URL,
    )


class CloudPaymentsProvider(BasePaymentProvider):
    name = "cloudpayments"
    label = _("Bank card (CloudPayments)")
    logo = "tickets/payments/cloudpayments.svg"
    recipient = "CloudPayments Kazakhstan"
    processing_country = "KZ"
    personal_fields = ("email",)  # create_order sends Email and AccountId
    notification_kinds = ("check", "pay", "fail", "refund")

    def __init__(self, client: CloudPaymentsClient | None = None) -> None:
        self.client = client or default_client()

    def is_configured(self) -> bool:
        return bool(self.client.public_id and self.client.api_secret)

    def page_origins(self) -> list[str]:
        # Payment links are on CloudPayments' own hosts (or the API host's, in a test set-up).
        return [
            "https://*.cloudpayments.kz",
            "https://*.cloudpayments.ru",
            origin_of(settings.CLOUDPAYMENTS_API_URL),
        ]

    def start(self, *, payment: Payment, return_url: str) -> PaymentStart:
        order = payment.order
        model = self.client.create_order(
            amount=payment.amount,
            currency=payment.currency,
            description=f"{order.event} — {order.code}",
            email=order.email,
            invoice_id=order.code,
            return_url=return_url,
        )
        url = model.get("Url")
        if not url:
            raise PaymentError()
        return PaymentStart(redirect_url=url, reference=order.code)

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
        # callbacks imports this module's protocol helpers, so it is imported when called.
        from tickets.payments.callbacks import cloudpayments_notification_handle

        result = cloudpayments_notification_handle(
            kind=kind, body=body, content_type=content_type, headers=headers, ip=ip
        )
        return NotificationResult(
            http_status=result.http_status,
            outcome=result.outcome,
            order=result.order,
            needs_review=result.needs_review,
            body=json.dumps(result.body),
        )

    def status(self, *, payment: Payment) -> ProviderStatus:
        """``POST /payments/find`` by our invoice id (the order code): its last transaction."""
        try:
            model = self.client.find(invoice_id=payment.order.code)
        except PaymentError:
            return ProviderStatus(state=ProviderState.PENDING)
        state = {
            "Completed": ProviderState.PAID,
            "Authorized": ProviderState.PAID,
            "Declined": ProviderState.FAILED,
            "Cancelled": ProviderState.FAILED,
        }.get(str(model.get("Status", "")), ProviderState.PENDING)
        return ProviderStatus(
            state=state,
            transaction_id=str(model.get("TransactionId") or ""),
            amount=amount_of(model),
            currency=str(model.get("Currency", "")),
            raw=model,
        )

    def refund(self, *, payment: Payment, amount: Decimal) -> str:
        if not payment.provider_transaction_id:
            raise RefundError()
        try:
            model = self.client.refund(
                transaction_id=payment.provider_transaction_id, amount=amount
            )
        except PaymentError as exc:
            raise RefundError(exc.message) from exc
        return str(model.get("TransactionId") or "")


# --- notifications -----------------------------------------------------------------------


def signature_valid(body: bytes, headers: Mapping[str, str]) -> bool:
    """Is the body signed with our API secret (``Content-HMAC`` or ``X-Content-HMAC``)?"""
    secret = settings.CLOUDPAYMENTS_API_SECRET
    if not secret:
        return False
    given = [headers.get("Content-HMAC", ""), headers.get("X-Content-HMAC", "")]
    bodies = [body, unquote_plus(body.decode("utf-8", "replace")).encode()]
    for candidate in bodies:
        digest = hmac.new(secret.encode(), candidate, hashlib.sha256).digest()
        expected = base64.b64encode(digest).decode()
        if any(g and hmac.compare_digest(g.strip(), expected) for g in given):
            return True
    return False


def notification_data(body: bytes, content_type: str) -> dict[str, Any]:
    """The notification's fields, from JSON or a form-encoded body."""
    text = body.decode("utf-8", "replace")
    if "json" in (content_type or ""):
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return dict(parse_qsl(text, keep_blank_values=True))


def amount_of(data: Mapping[str, Any]) -> Decimal | None:
    try:
        return Decimal(str(data.get("Amount", ""))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None

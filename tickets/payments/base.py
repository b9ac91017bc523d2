"""The one interface every payment provider implements (pretix's ``BasePaymentProvider``).

The core (starting a payment, refunds, callbacks, reconciliation, the buyer's chooser) only
talks to this interface and finds providers through the registry (``providers``); a provider
is one module that subclasses ``BasePaymentProvider`` and is registered by an app.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from django.utils.functional import Promise

if TYPE_CHECKING:
    from tickets.models import Order, Payment


def amount_text(amount: Decimal) -> str:
    """An amount as the providers' forms take it: whole tenge as ``10000``, else ``10000.50``
    (a signature covers the exact text sent)."""
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"


@dataclass(frozen=True)
class PaymentStart:
    """Where the buyer goes next: a URL (the provider's hosted page, or a page of ours that
    runs the provider's widget with ``widget``'s parameters)."""

    redirect_url: str
    widget: dict[str, Any] = field(default_factory=dict)
    # What the provider needs later to match this payment (its invoice/order id...).
    reference: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class ProviderState(StrEnum):
    PAID = "paid"
    FAILED = "failed"
    PENDING = "pending"


@dataclass(frozen=True)
class ProviderStatus:
    """The provider's answer to "what became of this payment?"."""

    state: ProviderState
    transaction_id: str = ""
    amount: Decimal | None = None
    currency: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class NotificationResult:
    """What a provider's callback did and what to answer it."""

    http_status: int
    outcome: str
    order: "Order | None" = None
    needs_review: bool = False
    body: str = ""
    content_type: str = "application/json"


class BasePaymentProvider(ABC):
    """One payment method. Class attributes describe it; methods talk to the provider."""

    name: ClassVar[str]  # the identifier stored on payments and settings
    label: ClassVar[str | Promise]  # what the buyer sees
    logo: ClassVar[str]  # a static file path
    # Who receives the buyer's data when a payment starts, where, and which fields: every start
    # that sends personal fields writes a row in privacy's disclosure log.
    recipient: ClassVar[str]
    processing_country: ClassVar[str]
    personal_fields: ClassVar[tuple[str, ...]] = ()
    currencies: ClassVar[tuple[str, ...]] = ("KZT",)
    notification_kinds: ClassVar[tuple[str, ...]] = ()
    # Runs inside the widget's frame (no new tab needed).
    in_widget: ClassVar[bool] = False

    @property
    def cross_border(self) -> bool:
        """Data processed outside Kazakhstan is a cross-border transfer (law 94-V, art. 16)."""
        return self.processing_country != "KZ"

    def is_configured(self) -> bool:
        """Are its credentials in the settings? Unconfigured providers are not offered."""
        return True

    def page_origins(self) -> list[str]:
        """Where the buyer's browser is sent to pay (the Content-Security-Policy's
        ``form-action`` of the pages that start a payment with this provider)."""
        return []

    def accepts(self, currency: str) -> bool:
        return currency in self.currencies

    @abstractmethod
    def start(self, *, payment: "Payment", return_url: str) -> PaymentStart:
        """Prepare the payment with the provider."""

    @abstractmethod
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
        """Verify one callback, apply it once, keep it on record (``PaymentNotification``)."""

    @abstractmethod
    def status(self, *, payment: "Payment") -> ProviderStatus:
        """Ask the provider what became of ``payment``."""

    @abstractmethod
    def refund(self, *, payment: "Payment", amount: Decimal) -> str:
        """Return ``amount`` (all or part) of ``payment``; the provider's id of the refund.
        Raises ``RefundError`` when the provider refuses."""


def origin_of(url: str) -> str:
    """``https://host[:port]`` of ``url`` (empty for a relative one)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

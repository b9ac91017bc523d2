"""What the cart, checkout and payment endpoints take and answer."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from tickets.api.schemas import OrderOut
from tickets.selectors import CartView

__all__ = ["OrderOut"]

CENT = Decimal("0.01")


class CartIn(Schema):
    quantities: dict[str, int] = Field(
        ..., description="Ticket type id → how many to hold (0 releases that type)"
    )


class PromoIn(Schema):
    code: str = ""


class CartLineOut(Schema):
    ticket_type_id: int
    ticket_type: str
    session_id: int
    session_starts_at: datetime
    quantity: int
    subtotal: Decimal
    total: Decimal


class CartOut(Schema):
    event_slug: str | None
    lines: list[CartLineOut]
    promo_code: str | None
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    currency: str = "KZT"
    expires_at: datetime | None
    seconds_left: int


class BuyerIn(Schema):
    surname: str
    name: str
    phone: str
    email: str
    postal_address: str = ""


class ConsentIn(Schema):
    policy_version: str = Field(..., description="The version whose text the buyer accepted")
    digest: str = Field(..., description="The digest of the consent text shown (GET consent)")
    processing: bool = Field(..., description="Consent to processing and transfer (required)")
    marketing: bool = False


class AnswerIn(Schema):
    question_id: int
    value: str = ""
    file_name: str | None = None
    file_base64: str | None = Field(None, description="A file answer's content, base64")
    written_consent: bool = Field(
        False, description="The buyer ticked this question's written consent box (if it has one)"
    )


class CompanyIn(Schema):
    """Buying for an organisation (when the event allows it); the buyer is its contact."""

    legal_name: str = Field(..., max_length=300)
    bin_iin: str = Field(..., description="БИН or ИИН, 12 digits (spaces and dashes ignored)")
    legal_address: str = Field(..., max_length=500)
    holder_names: list[str] = Field(
        [], description="Names of the ticket holders, one per ticket in order (optional)"
    )


class CheckoutIn(Schema):
    idempotency_key: str = Field(..., min_length=16, max_length=64)
    buyer: BuyerIn
    consent: ConsentIn
    answers: list[AnswerIn] = []
    company: CompanyIn | None = None


class PaymentIn(Schema):
    provider: str


class PaymentOut(Schema):
    provider: str
    amount: Decimal
    currency: str
    redirect_url: str


class PolicyOut(Schema):
    version: str
    url: str
    marketing_consent: str


class WrittenConsentOut(Schema):
    question_id: int
    text: str


class ConsentNoticeOut(Schema):
    written_consents: list[WrittenConsentOut] = Field(
        ..., description="Separate written consents: one box per such question, when answered"
    )
    text: str
    digest: str
    language: str
    policy_version: str | None
    marketing_text: str


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


def cart_out(view: CartView | None) -> CartOut:
    if view is None or view.is_empty:
        return CartOut(
            event_slug=None,
            lines=[],
            promo_code=None,
            subtotal=Decimal("0.00"),
            discount=Decimal("0.00"),
            total=Decimal("0.00"),
            expires_at=None,
            seconds_left=0,
        )
    quote = view.quote
    event = view.cart.event
    return CartOut(
        event_slug=event.slug if event is not None else None,
        lines=[
            CartLineOut(
                ticket_type_id=line.ticket_type.pk,
                ticket_type=line.ticket_type.name,
                session_id=line.ticket_type.session_id,
                session_starts_at=line.ticket_type.session.starts_at,
                quantity=line.quantity,
                subtotal=_money(line.subtotal),
                total=_money(line.total),
            )
            for line in quote.lines
        ],
        promo_code=quote.promo_code.code if quote.promo_code else None,
        subtotal=_money(quote.subtotal),
        discount=_money(quote.discount),
        total=_money(quote.total),
        expires_at=view.expires_at,
        seconds_left=view.seconds_left,
    )

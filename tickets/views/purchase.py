"""The steps of buying that the portal and the embedded widget share.

Both read the ticket choice the same way and turn a valid checkout form into an order with the
same services; they differ only in where the cart token lives (session or signed token) and how
they answer (messages and redirects, or a cookie-free page inside an iframe).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from events.models import Session
from eventum.numbers import whole_number
from privacy.identity import request_client_ip
from tickets.errors import CartEmpty, TicketsError
from tickets.forms import MARKETING_CONSENT_TEXT, PROCESSING_CONSENT_TEXT, CheckoutForm
from tickets.models import Order
from tickets.selectors import order_for_idempotency_key
from tickets.services.order_creation import ConsentInput, order_create

BAD_QUANTITY = _("Enter the number of tickets as a whole number from 0.")


def quantities_from_post(post: QueryDict, session: Session) -> dict[int, int]:
    """``qty_<ticket type id>`` fields of one session; raises ``TicketsError`` with the reason.

    A field missing from the POST is a disabled (sold-out) row: the cart keeps what it holds.
    """
    quantities: dict[int, int] = {}
    for ticket_type_id in session.ticket_types.values_list("pk", flat=True):
        field = f"qty_{ticket_type_id}"
        if field not in post:
            continue
        quantity = whole_number(post[field].strip() or "0", max_digits=6)
        if quantity is None:  # not "²", "٣" or a number of a million digits
            raise TicketsError(BAD_QUANTITY)
        quantities[ticket_type_id] = quantity
    if not any(quantities.values()):
        raise CartEmpty()
    return quantities


def order_repeated(*, idempotency_key: str, cart_token: str | None) -> Order | None:
    """The order a reload or a second click on “Pay” already made from this cart."""
    if not idempotency_key or not cart_token or "\x00" in idempotency_key:
        return None  # PostgreSQL cannot compare text with NUL; such a key matches nothing
    done = order_for_idempotency_key(idempotency_key)
    if done is not None and done.reservations.filter(cart__token=cart_token).exists():
        return done
    return None


def order_from_checkout(
    request: HttpRequest,
    form: CheckoutForm,
    *,
    cart_token: str,
    user: AbstractBaseUser | None,
    language: str,
) -> Order:
    """The order for a valid checkout form; raises ``TicketsError`` (shown on the form)."""
    return order_create(
        cart_token=cart_token,
        idempotency_key=form.cleaned_data["idempotency_key"],
        buyer=form.buyer(),
        answers=form.answers(),
        consent=ConsentInput(
            processing_wording=str(PROCESSING_CONSENT_TEXT),
            marketing=form.cleaned_data["consent_marketing"],
            marketing_wording=str(MARKETING_CONSENT_TEXT),
            ip_address=request_client_ip(request) or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ),
        user=user,
        language=language,
    )

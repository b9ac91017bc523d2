"""The steps of buying that the portal and the embedded widget share.

Both read the ticket choice the same way and turn a valid checkout form into an order with the
same services; they differ only in where the cart token lives (session or signed token) and how
they answer (messages and redirects, or a cookie-free page inside an iframe).
"""

from django.contrib.auth.models import User
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from events.models import Session
from eventum.numbers import whole_number
from privacy.identity import request_client_ip
from privacy.services.consent_notice import ConsentNotice
from tickets.errors import CartEmpty, ConsentTermsChanged, TicketsError
from tickets.forms import MARKETING_CONSENT_TEXT, CheckoutForm
from tickets.models import Order
from tickets.selectors import order_for_idempotency_key, session_choice
from tickets.services.order_creation import ConsentInput, order_create

BAD_QUANTITY = _("Enter the number of tickets as a whole number from 0.")
HOLD_CANCELLED = _(
    "Checkout cancelled: the tickets you held are back on sale. You can choose again below."
)


def quantities_from_post(post: QueryDict, session: Session) -> dict[int, int]:
    """``qty_<ticket type id>`` fields of one session; raises ``TicketsError`` with the reason.

    A field missing from the POST is a disabled (sold-out) row: the cart keeps what it holds.
    """
    choice = session_choice(session.pk)
    return quantities_of_session(post, choice.ticket_type_ids if choice else [])


def quantities_of_session(post: QueryDict, ticket_type_ids: list[int]) -> dict[int, int]:
    """``quantities_from_post`` of the session whose ticket types are ``ticket_type_ids``."""
    quantities: dict[int, int] = {}
    for ticket_type_id in ticket_type_ids:
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


def idempotency_key_usable(idempotency_key: str) -> bool:
    """PostgreSQL cannot compare text with NUL; such a key (or none) matches nothing."""
    return bool(idempotency_key) and "\x00" not in idempotency_key


def order_repeated(*, idempotency_key: str, cart_token: str | None) -> Order | None:
    """The order a reload or a second click on “Pay” already made from this cart."""
    if not idempotency_key_usable(idempotency_key) or not cart_token:
        return None
    return order_repeated_of(order_for_idempotency_key(idempotency_key), cart_token=cart_token)


def order_repeated_of(done: Order | None, *, cart_token: str | None) -> Order | None:
    """``done``, the order made with a checkout's key, if it was made from this cart."""
    if done is None or not cart_token:
        return None
    return done if done.reservations.filter(cart__token=cart_token).exists() else None


def order_from_checkout(
    request: HttpRequest,
    form: CheckoutForm,
    *,
    cart_token: str,
    user: User | None,
    language: str,
    notice: ConsentNotice,
) -> Order:
    """The order for a valid checkout form; raises ``TicketsError`` (shown on the form).

    ``notice`` is the consent text of this form as the page shows it now; it goes into the
    ledger with its language and channel. A form sent back with the fingerprint of another
    text (the operator's details or the form changed since the page was shown) is refused
    with ``ConsentTermsChanged``, and the page shows the new text.
    """
    shown = form.cleaned_data.get("consent_digest") or ""
    if shown and shown != notice.digest:
        raise ConsentTermsChanged()
    return order_create(
        cart_token=cart_token,
        idempotency_key=form.cleaned_data["idempotency_key"],
        buyer=form.buyer(),
        answers=form.answers(),
        consent=ConsentInput(
            processing_wording=notice.text,
            marketing=form.cleaned_data["consent_marketing"],
            marketing_wording=str(MARKETING_CONSENT_TEXT),
            ip_address=request_client_ip(request) or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            channel=notice.channel,
            language=notice.language,
            policy_version=notice.policy,
            written=tuple(form.written_consents()),
        ),
        user=user,
        language=language,
        company=form.company(),
    )

"""Choosing tickets and checking out."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from events.models import Event, Session
from eventum.numbers import whole_number
from eventum.ratelimit import CHECKOUT, PROMO_CODE, rate_limited
from privacy.services import policy_current
from privacy.services.consent_notice import ConsentNotice
from tickets.access import cart_token_for, order_remember
from tickets.checkout_consent import checkout_consent_notice
from tickets.companies.selectors import organisations_of
from tickets.errors import CartEmpty, ReservationExpired, TicketsError
from tickets.forms import CheckoutForm, PromoCodeForm
from tickets.models import Order
from tickets.selectors import (
    SessionChoice,
    cart_hold_expired,
    cart_view,
    checkout_reads,
    event_for_checkout,
    event_questions,
    session_choice,
)
from tickets.services.cart import cart_clear, cart_promo_apply, cart_set_quantities
from tickets.views.purchase import (
    HOLD_CANCELLED,
    idempotency_key_usable,
    order_from_checkout,
    order_repeated_of,
    quantities_of_session,
)
from tickets.waitroom.gate import checkout_refusal, guarded

PROMO_APPLIED = _("The promo code is applied.")


def _back_to_event(session: Session | None) -> HttpResponse:
    if session is None:
        return redirect("events:home")
    return redirect(session.get_absolute_url())


# The session's own columns and of its event only the address: all its page's address needs.
CHOSEN_SESSION_FIELDS = (
    "event",
    "starts_at",
    "ends_at",
    "doors_open_at",
    "schedule",
    "is_open_dated",
    "event__slug",
)


def _chosen_session_id(request: HttpRequest) -> int | None:
    return whole_number(request.POST.get("session"))


def _chosen_session(request: HttpRequest) -> Session | None:
    """The session of the ticket choice with its event's address: read only to send the buyer
    back to its page."""
    session_id = _chosen_session_id(request)
    if session_id is None:
        return None
    return (
        Session.objects.select_related("event")
        .only(*CHOSEN_SESSION_FIELDS)
        .filter(pk=session_id)
        .first()
    )


def _chosen(request: HttpRequest) -> SessionChoice | None:
    """The chosen session's event and ticket types (``None``: no such session), read once a
    request: the waiting room's door and the choice ask it."""
    if not hasattr(request, "_tickets_chosen"):
        session_id = _chosen_session_id(request)
        request._tickets_chosen = (  # type: ignore[attr-defined]
            session_choice(session_id) if session_id is not None else None
        )
    return request._tickets_chosen  # type: ignore[attr-defined]


def _chosen_event(request: HttpRequest) -> int | None:
    choice = _chosen(request)
    return choice.event_id if choice is not None else None


def _checkout_event(request: HttpRequest) -> Event | None:
    """The event of the visitor's cart, read once a request (the gate and the view ask); a
    submission's idempotency key is looked up with it (``_key_order``)."""
    if not hasattr(request, "_tickets_checkout_event"):
        token = cart_token_for(request)
        key = request.POST.get("idempotency_key", "") if request.method == "POST" else ""
        if token and idempotency_key_usable(key):
            event, done = checkout_reads(cart_token=token, idempotency_key=key)
        else:
            event, done = event_for_checkout(cart_token=token), None
        request._tickets_checkout_event = event  # type: ignore[attr-defined]
        request._tickets_key_order = done  # type: ignore[attr-defined]
    return request._tickets_checkout_event  # type: ignore[attr-defined]


def _key_order(request: HttpRequest) -> Order | None:
    """The order the submission's idempotency key already made (read with the cart's event)."""
    _checkout_event(request)
    return request._tickets_key_order  # type: ignore[attr-defined]


def _checkout_event_id(request: HttpRequest) -> int | None:
    event = _checkout_event(request)
    return event.pk if event is not None else None


@require_POST
@guarded(_chosen_event, posts_read_the_event=True)
def cart_update(request: HttpRequest) -> HttpResponse:
    """The ticket choice of one session (``qty_<ticket type id>`` fields)."""
    choice = _chosen(request)
    if choice is None:
        messages.error(request, CartEmpty.default_message)
        return redirect("events:home")
    try:
        quantities = quantities_of_session(request.POST, choice.ticket_type_ids)
    except TicketsError as exc:
        messages.error(request, exc.message)
        return _back_to_event(_chosen_session(request))
    token = cart_token_for(request)
    try:
        cart_set_quantities(
            cart_token=token or cart_token_for(request, create=True),
            quantities=quantities,
            user=request.user,
            cart_is_new=token is None,  # a token made now names no cart yet
            read=choice.ticket_types,
        )
    except TicketsError as exc:
        messages.error(request, exc.message)
        return _back_to_event(_chosen_session(request))
    return redirect("tickets:checkout")


@require_POST
def cart_empty(request: HttpRequest) -> HttpResponse:
    """Give the held tickets back: say so on the event page the buyer came from."""
    token = cart_token_for(request)
    cart = cart_view(cart_token=token)
    if token:
        cart_clear(cart_token=token)
    if cart is None or cart.is_empty:
        messages.info(request, CartEmpty.default_message)
    else:
        messages.success(request, HOLD_CANCELLED)
    if cart is not None and cart.cart.event is not None:
        return redirect(cart.cart.event.get_absolute_url())
    return redirect("events:home")


@require_POST
@rate_limited(PROMO_CODE, cart_token=cart_token_for, back_to="tickets:checkout")
def promo_apply(request: HttpRequest) -> HttpResponse:
    form = PromoCodeForm(request.POST)
    token = cart_token_for(request)
    if token and form.is_valid():
        try:
            promo = cart_promo_apply(cart_token=token, code=form.cleaned_data["code"])
        except TicketsError as exc:
            messages.error(request, exc.message)
        else:
            if promo is not None:
                messages.success(request, PROMO_APPLIED)
    return redirect("tickets:checkout")


def _checkout_queued(request: HttpRequest, event_id: int) -> HttpResponse | None:
    return checkout_refusal(request, event_id, cart_token_for(request))


@guarded(_checkout_event_id, refused=_checkout_queued, timed=True, posts_read_the_event=True)
@rate_limited(CHECKOUT, cart_token=cart_token_for, back_to="tickets:checkout")
def checkout(request: HttpRequest) -> HttpResponse:
    token = cart_token_for(request)
    form = None
    if request.method == "POST":
        done = order_repeated_of(_key_order(request), cart_token=token)
        if done is not None:
            return redirect(done.get_absolute_url())  # a reload or a second click on “Pay”
        # The order service checks the holds itself: the cart is read for the page only when
        # the order cannot be made (a form error, an empty or expired cart).
        event = _checkout_event(request)
        if event is not None:
            form = CheckoutForm(
                request.POST,
                request.FILES or None,
                questions=event_questions(event=event),
                asks_postal_address=event.asks_postal_address,
                company_allowed=event.allow_company_purchases,
                saved_organisations=organisations_of(request.user),
                initial=_initial(request),
            )
            if form.is_valid():
                try:
                    order = order_from_checkout(
                        request,
                        form,
                        cart_token=token,
                        user=request.user,
                        language=translation.get_language() or "ru",
                        notice=_consent_notice(request, event, form),
                    )
                except TicketsError as exc:
                    form.add_error(None, exc.message)
                else:
                    order_remember(request, order)
                    return redirect(order.get_absolute_url())
    cart = cart_view(cart_token=token)
    if cart is None or cart.is_empty:
        if cart_hold_expired(cart_token=token):
            messages.error(request, ReservationExpired.default_message)
            if cart is not None and cart.cart.event is not None:
                return redirect(cart.cart.event.get_absolute_url())
        else:
            messages.info(request, CartEmpty.default_message)
        return redirect("events:home")
    if form is None:
        form = CheckoutForm(
            questions=event_questions(event=cart.cart.event),
            asks_postal_address=cart.cart.event.asks_postal_address,
            company_allowed=cart.cart.event.allow_company_purchases,
            saved_organisations=organisations_of(request.user),
            initial=_initial(request),
        )
    promo_form = PromoCodeForm(
        initial={"code": cart.cart.promo_code.code if cart.cart.promo_code else ""}
    )
    status = 400 if request.method == "POST" else 200
    context = {
        "cart": cart,
        "form": form,
        "promo_form": promo_form,
        "policy": policy_current(),
        # Signing in (or up) from here comes back to this checkout; the cart stays held.
        "sign_in_next": reverse("tickets:checkout"),
        "consent_notice": _consent_notice(request, cart.cart.event, form),
    }
    return render(request, "tickets/checkout.html", context, status=status)


def _consent_notice(request: HttpRequest, event: Event, form: CheckoutForm) -> ConsentNotice:
    """The consent text of this form; its links absolute, as the ledger keeps them."""
    return checkout_consent_notice(
        event=event,
        form=form,
        questions=form.questions,
        channel="site",
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )


def _initial(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    last = Order.objects.filter(user=user).order_by("-created_at").first()
    initial = {"email": user.email}
    if last is not None:
        initial.update(surname=last.surname, name=last.name, phone=last.phone)
    return initial

"""Choosing tickets and checking out."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from events.models import Session
from eventum.numbers import whole_number
from eventum.ratelimit import CHECKOUT, PROMO_CODE, rate_limited
from privacy.services import policy_current
from tickets.access import cart_token_for, order_remember
from tickets.errors import CartEmpty, ReservationExpired, TicketsError
from tickets.forms import CheckoutForm, PromoCodeForm
from tickets.models import Order
from tickets.selectors import cart_event_id, cart_hold_expired, cart_view, event_questions
from tickets.services.cart import cart_clear, cart_promo_apply, cart_set_quantities
from tickets.views.purchase import order_from_checkout, order_repeated, quantities_from_post

PROMO_APPLIED = _("The promo code is applied.")


def _back_to_event(session: Session | None) -> HttpResponse:
    if session is None:
        return redirect("events:home")
    return redirect(session.event.get_absolute_url() + f"#session-{session.pk}")


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    """The ticket choice of one session (``qty_<ticket type id>`` fields)."""
    session_id = whole_number(request.POST.get("session"))
    session = (
        Session.objects.select_related("event").filter(pk=session_id).first()
        if session_id is not None
        else None
    )
    if session is None:
        messages.error(request, CartEmpty.default_message)
        return redirect("events:home")
    try:
        quantities = quantities_from_post(request.POST, session)
    except TicketsError as exc:
        messages.error(request, exc.message)
        return _back_to_event(session)
    try:
        cart_set_quantities(
            cart_token=cart_token_for(request, create=True),
            quantities=quantities,
            user=request.user,
        )
    except TicketsError as exc:
        messages.error(request, exc.message)
        return _back_to_event(session)
    return redirect("tickets:checkout")


@require_POST
def cart_empty(request: HttpRequest) -> HttpResponse:
    token = cart_token_for(request)
    if token:
        cart_clear(cart_token=token)
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


@rate_limited(CHECKOUT, cart_token=cart_token_for, back_to="tickets:checkout")
def checkout(request: HttpRequest) -> HttpResponse:
    token = cart_token_for(request)
    form = None
    if request.method == "POST":
        done = order_repeated(
            idempotency_key=request.POST.get("idempotency_key", ""), cart_token=token
        )
        if done is not None:
            return redirect(done.get_absolute_url())  # a reload or a second click on “Pay”
        # The order service checks the holds itself: the cart is read for the page only when
        # the order cannot be made (a form error, an empty or expired cart).
        event_id = cart_event_id(cart_token=token)
        if event_id is not None:
            form = CheckoutForm(
                request.POST,
                request.FILES or None,
                questions=event_questions(event_id=event_id),
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
            questions=event_questions(event_id=cart.cart.event_id), initial=_initial(request)
        )
    promo_form = PromoCodeForm(
        initial={"code": cart.cart.promo_code.code if cart.cart.promo_code else ""}
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tickets/checkout.html",
        {"cart": cart, "form": form, "promo_form": promo_form, "policy": policy_current()},
        status=status,
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

"""The embedded widget: the portal's checkout, compact, in an iframe on an organizer's site.

Three rules shape every view here:

* **No cookies.** Browsers drop third-party cookies in iframes, so the state travels in a
  signed token (``tickets.widget.tokens``) in the URL or a hidden field. The views never touch
  ``request.session``, messages, the CSRF cookie or ``request.user``: the buyer is a guest in
  the widget (a portal session cookie is SameSite=Lax and is not sent to a cross-site frame
  anyway), and an order is opened by its secret like a guest's e-mail link.
* **Framing only by the organizer's sites.** Each response says
  ``Content-Security-Policy: frame-ancestors 'self' <the organizer's registered origins>``,
  computed on every request, and drops ``X-Frame-Options``; the rest of the portal keeps
  ``X-Frame-Options: DENY``. The token's host origin must still be registered on each request.
* **CSRF without a cookie.** The POST views are ``csrf_exempt`` because Django's CSRF check
  needs its cookie, which a cookie-blocking browser never sends to the frame. What protects
  them instead: a POST does something only with a valid signed token, bound to one cart and one
  organizer and short-lived; that token lives only in the buyer's own iframe, so a third site
  cannot forge a request that acts on the buyer's cart, and there is no ambient authority (no
  session, no login) for a forged request to ride on. Orders also need the per-form
  idempotency key, and payments the order's secret.
"""

import secrets
import time
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from events.models import Event, Session
from eventum.numbers import whole_number
from eventum.ratelimit import CHECKOUT, PROMO_CODE, Limit, rate_limited
from organizers.models import Organizer
from organizers.origins import origin_allowed, origin_normalise
from privacy.services import policy_current
from tickets.checkout_consent import checkout_consent_notice
from tickets.errors import (
    CartEmpty,
    PromoCodeInvalid,
    PromoCodeUsedUp,
    ReservationExpired,
    TicketsError,
)
from tickets.forms import CheckoutForm, PromoCodeForm
from tickets.models import Order, Payment
from tickets.payments.provider_test import provider_test_decide, provider_test_payment
from tickets.payments.selectors import providers_of_organizer
from tickets.payments.services import payment_start
from tickets.selectors import cart_hold_expired, cart_quantities, cart_view, event_questions
from tickets.services.cart import cart_clear, cart_promo_apply, cart_set_quantities, cart_token_new
from tickets.views.purchase import (
    HOLD_CANCELLED,
    order_from_checkout,
    order_repeated,
    quantities_from_post,
)
from tickets.waitroom.gate import (
    TOO_MANY_PLACES,
    after_sale_step,
    checkout_timed,
    held_before_room,
    room_holds,
)
from tickets.waitroom.passes import pass_issue, pass_valid
from tickets.waitroom.views import place_taken, queue_context
from tickets.widget.tokens import PARAM, WidgetState, WidgetTokenInvalid, widget_state_load

EXPIRED = _("This window has expired. Close it and open the widget again.")
NOT_REGISTERED = _(
    "This site is not registered for the organizer's ticket widget. The organizer can add it "
    "in the cabinet, on the “Embed on your site” page."
)
NOT_FOUND = _("There is no such event or organizer.")
PROMO_NOTICES = {
    "applied": ("success", _("The promo code is applied.")),
    "invalid": ("error", PromoCodeInvalid.default_message),
    "used": ("error", PromoCodeUsedUp.default_message),
}
DECLINED = _("The payment was declined. You can try again.")


def _cart_event(cart_token: str) -> Event | None:
    cart = cart_view(cart_token=cart_token)
    return cart.cart.event if cart is not None and not cart.is_empty else None


class WidgetRefused(Exception):
    def __init__(self, message, status: int, organizer: Organizer | None = None) -> None:
        super().__init__(str(message))
        self.message, self.status, self.organizer = message, status, organizer


def frame_for(response: HttpResponse, organizer: Organizer | None) -> HttpResponse:
    """Allow framing by the organizer's registered sites only, and leak nothing onwards."""
    ancestors = ["'self'", *(organizer.widget_origin_list if organizer else [])]
    # django-csp builds the portal's strict policy and swaps in this frame-ancestors.
    response._csp_replace = {"frame-ancestors": ancestors}
    response.xframe_options_exempt = True  # what ``xframe_options_exempt`` does, per response
    response["Referrer-Policy"] = "no-referrer"  # the URL carries the cart's token
    response["Cache-Control"] = "no-store"
    return response


def _state(request: HttpRequest) -> tuple[WidgetState, Organizer]:
    try:
        state = widget_state_load(request.GET.get(PARAM) or request.POST.get(PARAM))
    except WidgetTokenInvalid as exc:
        raise WidgetRefused(EXPIRED, 400) from exc
    organizer = Organizer.objects.filter(pk=state.organizer_id).first()
    if organizer is None:
        raise WidgetRefused(EXPIRED, 400)
    if not origin_allowed(state.origin, organizer.widget_origin_list):
        raise WidgetRefused(NOT_REGISTERED, 403, organizer)
    return state, organizer


def _url(name: str, state: WidgetState, *args, **query) -> str:
    query = {PARAM: state.dumps(), **query}
    return reverse(f"widget:{name}", args=args) + "?" + urlencode(query)


def _page(request, organizer, state, template, context, status=200) -> HttpResponse:
    context = {
        "organizer": organizer,
        "widget_token": state.dumps() if state else "",
        "widget_origin": state.origin if state else "",
        **context,
    }
    return frame_for(render(request, template, context, status=status), organizer)


def _refused(request: HttpRequest, exc: WidgetRefused) -> HttpResponse:
    context = {"message": exc.message}
    return _page(request, exc.organizer, None, "tickets/widget/error.html", context, exc.status)


def widget_view(view):
    """Run ``view(request, state, organizer, ...)``; a bad token becomes a clear 4xx page."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            state, organizer = _state(request)
            return frame_for(view(request, state, organizer, *args, **kwargs), organizer)
        except WidgetRefused as exc:
            return _refused(request, exc)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where the embed script points the iframe: checks the host site, starts a new cart."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    event = None
    if request.GET.get("event"):
        event = (
            Event.objects.select_related("organizer")
            .filter(slug=request.GET["event"], status=Event.Status.PUBLISHED)
            .first()
        )
        organizer = event.organizer if event else None
    else:
        organizer = Organizer.objects.filter(slug=request.GET.get("organizer", "")).first()
    with translation.override(language):
        if organizer is None:
            return _refused(request, WidgetRefused(NOT_FOUND, 404))
        origin = request.GET.get("origin", "")
        if not origin_allowed(origin, organizer.widget_origin_list):
            return _refused(request, WidgetRefused(NOT_REGISTERED, 403, organizer))
        state = WidgetState(
            cart_token=cart_token_new(),
            organizer_id=organizer.pk,
            origin=origin_normalise(origin),
            language=language,
        )
        if event is not None:
            return frame_for(redirect(_url("event", state, event.slug)), organizer)
        return frame_for(redirect(_url("events", state)), organizer)


@widget_view
def event_list(request: HttpRequest, state: WidgetState, organizer: Organizer) -> HttpResponse:
    """“All my upcoming events”: rendered inside the iframe, so the host page gets no data."""
    now = timezone.now()
    events = (
        Event.objects.filter(organizer=organizer, status=Event.Status.PUBLISHED)
        .select_related("venue__city")
        .annotate(next_at=Min("sessions__starts_at", filter=Q(sessions__starts_at__gt=now)))
        .filter(next_at__isnull=False)
        .order_by("next_at", "pk")
    )
    links = [(event, _url("event", state, event.slug, **{"from": "list"})) for event in events]
    return _page(request, organizer, state, "tickets/widget/events.html", {"events": links})


@widget_view
def event_choose(
    request: HttpRequest, state: WidgetState, organizer: Organizer, slug: str
) -> HttpResponse:
    """The ticket choice of one event; a POST holds the tickets and goes on to the checkout."""
    event = (
        Event.objects.select_related("venue__city")
        .filter(slug=slug, organizer=organizer, status=Event.Status.PUBLISHED)
        .first()
    )
    if event is None:
        raise WidgetRefused(NOT_FOUND, 404, organizer)
    queued = _queue_first(state, event.pk)
    if queued is not None:
        return queued
    error = None
    from_list = request.GET.get("from") == "list"
    if request.method == "POST":
        session = _session_of(event, request.POST.get("session", ""))
        try:
            if session is None:
                raise CartEmpty()
            quantities = quantities_from_post(request.POST, session)
            cart_set_quantities(cart_token=state.cart_token, quantities=quantities, user=None)
        except TicketsError as exc:
            error = exc.message
        else:
            after_sale_step(event.pk)
            return redirect(_url("checkout", state))
    sessions = list(
        event.sessions.filter(starts_at__gt=timezone.now())
        .prefetch_related("ticket_types")
        .order_by("starts_at")
    )
    held = cart_quantities(cart_token=state.cart_token)
    for session in sessions:
        for ticket_type in session.ticket_types.all():
            ticket_type.held = held.get(ticket_type.pk, 0)
    context = {
        "event": event,
        "sessions": sessions,
        "error": error,
        "cancelled": HOLD_CANCELLED if request.GET.get("cancelled") == "1" else "",
        "list_url": _url("events", state) if from_list else "",
        "action": _url("event", state, event.slug, **({"from": "list"} if from_list else {})),
    }
    status = 400 if error else 200
    return _page(request, organizer, state, "tickets/widget/event.html", context, status)


def _session_of(event: Event, raw: str) -> Session | None:
    session_id = whole_number(raw)
    if session_id is None:
        return None
    return event.sessions.filter(pk=session_id).first()


def _too_many(request, limit: Limit, state: WidgetState, organizer: Organizer) -> HttpResponse:
    context = {"message": limit.message, "back_url": _url("checkout", state)}
    return _page(request, organizer, state, "tickets/widget/error.html", context, 429)


def _widget_cart(request, state: WidgetState, organizer: Organizer) -> str:
    return state.cart_token


@widget_view
@rate_limited(CHECKOUT, cart_token=_widget_cart, refused=_too_many)
def checkout(request: HttpRequest, state: WidgetState, organizer: Organizer) -> HttpResponse:
    """Buyer details, consent and questions: the portal's checkout form and services."""
    token = state.cart_token
    if request.method == "POST":
        done = order_repeated(
            idempotency_key=request.POST.get("idempotency_key", ""), cart_token=token
        )
        if done is not None:  # a reload or a second click on “Pay”
            return redirect(_url("order", state, done.code, s=done.secret))
    cart = cart_view(cart_token=token)
    if cart is None or cart.is_empty:
        expired = cart_hold_expired(cart_token=token)
        message = ReservationExpired.default_message if expired else CartEmpty.default_message
        back = _url("event", state, cart.cart.event.slug) if cart and cart.cart.event else ""
        context = {"message": message, "back_url": back or _url("events", state)}
        return _page(request, organizer, state, "tickets/widget/error.html", context, 409)
    event_id = cart.cart.event_id
    queued = _queue_first(state, event_id)
    if queued is not None and not held_before_room(cart_token=token, event_id=event_id):
        return queued
    started = time.perf_counter()
    response = _checkout_page(request, state, organizer, cart)
    if request.method == "POST":
        checkout_timed(cart.cart.event_id, request, started)
        after_sale_step(cart.cart.event_id)
    return response


def _checkout_page(request, state: WidgetState, organizer: Organizer, cart) -> HttpResponse:
    token = state.cart_token
    questions = event_questions(event=cart.cart.event)
    form = CheckoutForm(
        request.POST or None,
        request.FILES or None,
        questions=questions,
        asks_postal_address=cart.cart.event.asks_postal_address,
        company_allowed=cart.cart.event.allow_company_purchases,
    )
    # Links in the consent text are absolute: the widget is a page on the organizer's site.
    notice = checkout_consent_notice(
        event=cart.cart.event,
        form=form,
        questions=questions,
        channel="widget",
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )
    if form.is_bound and form.is_valid():
        try:
            order = order_from_checkout(
                request, form, cart_token=token, user=None, language=state.language, notice=notice
            )
        except TicketsError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(_url("order", state, order.code, s=order.secret))
    context = {
        "cart": cart,
        "form": form,
        "promo": PROMO_NOTICES.get(request.GET.get("promo", "")),
        "promo_code": cart.cart.promo_code.code if cart.cart.promo_code else "",
        "action": _url("checkout", state),
        "cart_action": _url("cart_action", state),
        "back_url": _url("event", state, cart.cart.event.slug),
        "policy": policy_current(),
        "policy_url": request.build_absolute_uri(reverse("privacy:policy")),
        "consent_notice": notice,
    }
    status = 400 if form.is_bound else 200
    return _page(request, organizer, state, "tickets/widget/checkout.html", context, status)


@require_POST
@widget_view
@rate_limited(PROMO_CODE, cart_token=_widget_cart, refused=_too_many)
def cart_action(request: HttpRequest, state: WidgetState, organizer: Organizer) -> HttpResponse:
    """Apply a promo code (back to the checkout) or give the tickets back (to their event, which
    says so)."""
    if request.POST.get("action") == "empty":
        event = _cart_event(state.cart_token)
        cart_clear(cart_token=state.cart_token)
        if event is None:
            return redirect(_url("events", state))
        return redirect(_url("event", state, event.slug, cancelled="1"))
    form = PromoCodeForm(request.POST)
    outcome = "invalid"
    if form.is_valid():
        try:
            promo = cart_promo_apply(cart_token=state.cart_token, code=form.cleaned_data["code"])
        except PromoCodeUsedUp:
            outcome = "used"
        except TicketsError:
            outcome = "invalid"
        else:
            outcome = "applied" if promo else "removed"
    return redirect(_url("checkout", state, promo=outcome))


def _queue_first(state: WidgetState, event_id: int) -> HttpResponse | None:
    """While the event's sale has a queue, a widget without its admission pass waits in it."""
    if not room_holds(event_id):
        return None
    if pass_valid(state.admission, event_id=event_id, visitor=state.visitor):
        return None
    return redirect(_url("queue", state, event_id))


@widget_view
def queue(request: HttpRequest, state: WidgetState, organizer: Organizer, event_id: int):
    """The queue inside the widget: the place and a page that refreshes itself (no cookies:
    the widget's own cart stands for the visitor, the pass travels in its signed state)."""
    place, slug = place_taken(request, event_id, state.visitor)
    if place is None:
        raise WidgetRefused(TOO_MANY_PLACES, 429, organizer)
    if place.state == "admitted":
        admitted = replace(state, admission=pass_issue(event_id=event_id, visitor=state.visitor))
        return redirect(_url("event", admitted, slug))
    if place.state == "open" or not slug:
        return redirect(_url("event", state, slug) if slug else _url("events", state))
    context = {
        **queue_context(place, state.language),
        "refresh_url": _url("queue", state, event_id),
        "event_url": _url("event", state, slug),
    }
    return _page(request, organizer, state, "tickets/widget/queue.html", context)


def _order_of(request: HttpRequest, organizer: Organizer, code: str) -> Order:
    """The order by its code and secret (``s``), and only one of this organizer's events."""
    order = (
        Order.objects.select_related("event__venue__city")
        .prefetch_related("items__ticket_type__session")
        .filter(code=code.upper(), event__organizer=organizer)
        .first()
    )
    given = request.GET.get("s") or request.POST.get("s") or ""
    if order is None or not given or not secrets.compare_digest(given, order.secret):
        raise WidgetRefused(NOT_FOUND, 404, organizer)
    return order


@widget_view
def order_page(
    request: HttpRequest, state: WidgetState, organizer: Organizer, code: str
) -> HttpResponse:
    """The result: pay a pending order, or the paid order's link (and the event to the host)."""
    order = _order_of(request, organizer, code)
    providers = providers_of_organizer(organizer)
    context = {
        "order": order,
        "order_url": request.build_absolute_uri(order.get_absolute_url()),
        "can_pay": order.status == Order.Status.PENDING and order.total > 0,
        "in_widget": [p for p in providers if p.in_widget],
        "new_tab": [p for p in providers if not p.in_widget],
        "pay_action": _url("order_pay", state, order.code),
        "refresh_url": _url("order", state, order.code, s=order.secret),
        "declined": request.GET.get("declined") == "1",
        "completed": order.status == Order.Status.PAID,
    }
    return _page(request, organizer, state, "tickets/widget/order.html", context)


@require_POST
@widget_view
def order_pay(
    request: HttpRequest, state: WidgetState, organizer: Organizer, code: str
) -> HttpResponse:
    """Start a test payment inside the widget; other providers open the portal in a new tab."""
    order = _order_of(request, organizer, code)
    back = _url("order", state, order.code, s=order.secret)
    offered = {p.name for p in providers_of_organizer(organizer) if p.in_widget}
    if request.POST.get("provider") != "test" or "test" not in offered:
        return redirect(back)
    try:
        payment = payment_start(order_id=order.pk, provider_name="test", return_url=back)
    except TicketsError as exc:
        context = {"message": exc.message, "back_url": back}
        return _page(request, organizer, state, "tickets/widget/error.html", context, 409)
    return redirect(_url("test_payment", state, payment.public_id, s=order.secret))


@widget_view
def test_payment(
    request: HttpRequest, state: WidgetState, organizer: Organizer, public_id
) -> HttpResponse:
    """The test provider's approve/decline page, inside the widget."""
    payment = provider_test_payment(public_id=public_id, organizer=organizer)
    if payment is None:
        raise WidgetRefused(NOT_FOUND, 404, organizer)
    order = _order_of(request, organizer, payment.order.code)
    if request.method == "POST" and payment.status == Payment.Status.CREATED:
        try:
            approved = provider_test_decide(payment=payment, decision=request.POST.get("decision"))
        except TicketsError as exc:
            context = {
                "message": exc.message,
                "back_url": _url("order", state, order.code, s=order.secret),
            }
            return _page(request, organizer, state, "tickets/widget/error.html", context, 409)
        extra = {} if approved else {"declined": "1"}
        return redirect(_url("order", state, order.code, s=order.secret, **extra))
    context = {
        "payment": payment,
        "order": order,
        "action": _url("test_payment", state, payment.public_id, s=order.secret),
        "back_url": _url("order", state, order.code, s=order.secret),
    }
    return _page(request, organizer, state, "tickets/widget/test_payment.html", context)


EMBED_SCRIPT = Path(__file__).resolve().parents[1] / "static" / "tickets" / "embed.js"


@require_GET
def embed_script(request: HttpRequest) -> HttpResponse:
    """The script organizers paste into their pages, at a stable address (no hashed name)."""
    response = HttpResponse(EMBED_SCRIPT.read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "public, max-age=86400"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response

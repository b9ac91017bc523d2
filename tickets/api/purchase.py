"""``/api/v1/me/cart``, ``/api/v1/me/checkout``, ``/api/v1/orders/{code}/payment``: buying from
an app with the same services as the site's checkout.

The signed-in buyer has one cart for the API (its token is derived from the account, so every
device of the buyer sees the same holds). Checkout needs the consent to the current policy
version: the app shows the texts from ``/api/v1/policy`` and sends the version the buyer
accepted; the consent ledger records it on the ``api`` channel with the app's name."""

import base64
import binascii
import time

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from events.models import Event, TicketType
from eventum.api.auth import buyer_auth, signed_in_user
from eventum.api.errors import ApiError, error_responses
from eventum.ratelimit import CHECKOUT, PROMO_CODE, Limit, attempt_allowed
from privacy.identity import request_app_name, request_client_ip
from privacy.models import ConsentRecord
from privacy.services import policy_current
from privacy.services.consent_notice import ConsentNotice
from tickets.api.purchase_schemas import (
    CartIn,
    CartOut,
    CheckoutIn,
    ConsentNoticeOut,
    OrderOut,
    PaymentIn,
    PaymentOut,
    PolicyOut,
    PromoIn,
    WrittenConsentOut,
    cart_out,
)
from tickets.api.schemas import order_out
from tickets.checkout_consent import checkout_consent_notice
from tickets.companies.errors import CompanyPurchaseNotAllowed, TooManyHolderNames
from tickets.errors import (
    BuyerDataBlocked,
    CartEmpty,
    ConsentTermsChanged,
    InvalidTransition,
    NotOnSale,
    OrderLimitExceeded,
    PaymentError,
    PromoCodeInvalid,
    PromoCodeUsedUp,
    ReservationExpired,
    SoldOut,
    TicketsError,
)
from tickets.forms import MARKETING_CONSENT_TEXT, CheckoutForm
from tickets.models import Order
from tickets.payments.providers import providers_enabled
from tickets.payments.services import payment_start
from tickets.selectors import (
    cart_view,
    event_questions,
    order_for_page,
)
from tickets.services.cart import cart_clear, cart_promo_apply, cart_set_quantities
from tickets.services.order_creation import ConsentInput, order_create
from tickets.views.purchase import order_repeated
from tickets.waitroom.api import api_queue_first
from tickets.waitroom.gate import after_sale_step, checkout_timed, rooms_exist

router = Router(tags=["purchase"], auth=buyer_auth)

# Stable codes of the sale's refusals (the message says the same in the buyer's language).
ERROR_CODES: dict[type[TicketsError], tuple[str, int]] = {
    SoldOut: ("sold_out", 409),
    OrderLimitExceeded: ("order_limit_exceeded", 409),
    NotOnSale: ("not_on_sale", 409),
    CartEmpty: ("cart_empty", 409),
    ReservationExpired: ("reservation_expired", 409),
    PromoCodeInvalid: ("promo_code_invalid", 409),
    PromoCodeUsedUp: ("promo_code_used_up", 409),
    BuyerDataBlocked: ("buyer_data_blocked", 409),
    ConsentTermsChanged: ("consent_changed", 409),
    InvalidTransition: ("invalid_transition", 409),
    PaymentError: ("payment_error", 502),
    CompanyPurchaseNotAllowed: ("company_purchase_not_allowed", 422),
    TooManyHolderNames: ("too_many_holder_names", 422),
}
POLICY_OUTDATED = _(
    "The privacy policy has a newer version: show its text to the buyer and send the version "
    "they accepted."
)
NO_POLICY = _("No privacy policy is published yet, so tickets cannot be sold.")


def _refusal(exc: TicketsError) -> ApiError:
    code, status = next(
        (found for cls, found in ERROR_CODES.items() if isinstance(exc, cls)), ("refused", 409)
    )
    return ApiError(code, str(exc.message), status=status)


def api_cart_token(user: User) -> str:
    """The buyer's API cart: derived from the account, unguessable without the secret key."""
    return salted_hmac("eventum.api.cart", str(user.pk)).hexdigest()[:48]


def _limited(request: HttpRequest, limit: Limit, *, cart_token: str) -> None:
    verdict = attempt_allowed(limit, client_ip=request_client_ip(request), cart_token=cart_token)
    if not verdict:
        if not verdict.counted:
            raise ApiError("limit_unavailable", str(limit.message), status=503, retry_after=30)
        raise ApiError(
            "rate_limited", str(limit.message), status=429, retry_after=verdict.retry_after
        )


def _cart(request: HttpRequest) -> CartOut:
    return cart_out(cart_view(cart_token=api_cart_token(signed_in_user(request))))


@router.get(
    "/me/cart",
    response={200: CartOut, **error_responses(401)},
    url_name="api_cart",
    summary="The tickets held for the buyer, priced, and when the hold ends",
)
def cart_read(request: HttpRequest) -> CartOut:
    return _cart(request)


@router.put(
    "/me/cart",
    response={200: CartOut, **error_responses(401, 409, 422)},
    url_name="api_cart_hold",
    summary="Hold exactly these quantities of one event's ticket types (0 releases a type)",
)
def cart_hold(request: HttpRequest, body: CartIn) -> CartOut:
    user = signed_in_user(request)
    try:
        quantities = {int(k): v for k, v in body.quantities.items()}
    except ValueError as exc:
        raise ApiError("invalid_request", _("Ticket type ids are whole numbers.")) from exc
    if not quantities or any(q < 0 or q > 1000 for q in quantities.values()):
        raise ApiError("invalid_request", _("Give a quantity from 0 for each ticket type."))
    event_ids = _events_of(quantities) if rooms_exist() else []
    for event_id in event_ids:
        api_queue_first(request, user, event_id)
    try:
        cart_set_quantities(cart_token=api_cart_token(user), quantities=quantities, user=user)
    except TicketsError as exc:
        raise _refusal(exc) from exc
    for event_id in event_ids:
        after_sale_step(event_id)
    return _cart(request)


def _events_of(quantities: dict[int, int]) -> list[int]:
    return list(
        TicketType.objects.filter(pk__in=list(quantities))
        .values_list("session__event_id", flat=True)
        .distinct()
    )


@router.delete(
    "/me/cart",
    response={200: CartOut, **error_responses(401)},
    url_name="api_cart_release",
    summary="Release every ticket held (they go back on sale at once)",
)
def cart_release(request: HttpRequest) -> CartOut:
    cart_clear(cart_token=api_cart_token(signed_in_user(request)))
    return _cart(request)


@router.put(
    "/me/cart/promo",
    response={200: CartOut, **error_responses(401, 409, 429)},
    url_name="api_cart_promo",
    summary="Apply a promo code to the cart (an empty code removes it)",
)
def cart_promo(request: HttpRequest, body: PromoIn) -> CartOut:
    token = api_cart_token(signed_in_user(request))
    _limited(request, PROMO_CODE, cart_token=token)
    try:
        cart_promo_apply(cart_token=token, code=body.code[:40])
    except TicketsError as exc:
        raise _refusal(exc) from exc
    return _cart(request)


def _unbound_form(event: Event) -> CheckoutForm:
    return CheckoutForm(
        questions=event_questions(event=event),
        asks_postal_address=event.asks_postal_address,
        company_allowed=event.allow_company_purchases,
    )


def _notice(request: HttpRequest, event: Event, form: CheckoutForm) -> ConsentNotice:
    """The consent text of this checkout, as the site builds it, on the API's channel."""
    return checkout_consent_notice(
        event=event,
        form=form,
        questions=form.questions,
        channel=ConsentRecord.Channel.API,
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )


def _cart_event(token: str) -> Event:
    """The event the cart buys for (with its organizer, named in the consent text)."""
    view = cart_view(cart_token=token)
    if view is None or view.cart.event is None or view.is_empty:
        raise _refusal(CartEmpty())
    return view.cart.event


@router.get(
    "/me/checkout/consent",
    response={200: ConsentNoticeOut, **error_responses(401, 409)},
    url_name="api_checkout_consent",
    summary="The consent text to show before checkout (for the event in the cart)",
)
def checkout_consent(request: HttpRequest) -> ConsentNoticeOut:
    """Show ``text`` to the buyer; send its ``digest`` and ``policy_version`` with the checkout."""
    event = _cart_event(api_cart_token(signed_in_user(request)))
    form = _unbound_form(event)
    notice = _notice(request, event, form)
    written = [
        WrittenConsentOut(question_id=q.pk, text=str(form.fields[name].label))
        for q in form.questions
        if (name := f"written_consent_{q.pk}") in form.fields
    ]
    return ConsentNoticeOut(
        written_consents=written,
        text=notice.text,
        digest=notice.digest,
        language=notice.language,
        policy_version=notice.policy.version if notice.policy else None,
        marketing_text=str(MARKETING_CONSENT_TEXT),
    )


def _form(body: CheckoutIn, event: Event) -> CheckoutForm:
    """The site's checkout form decides what a valid buyer, consent and answer is."""
    data: dict[str, str] = {
        "surname": body.buyer.surname,
        "name": body.buyer.name,
        "phone": body.buyer.phone,
        "email": body.buyer.email,
        "postal_address": body.buyer.postal_address,
        "idempotency_key": body.idempotency_key,
        "consent_digest": body.consent.digest,
    }
    if body.consent.processing:
        data["consent_processing"] = "on"
    if body.consent.marketing:
        data["consent_marketing"] = "on"
    if body.company is not None:
        if not event.allow_company_purchases:
            raise _refusal(CompanyPurchaseNotAllowed())
        data.update(
            as_company="on",
            company_name=body.company.legal_name,
            company_bin=body.company.bin_iin,
            company_address=body.company.legal_address,
            holder_names="\n".join(body.company.holder_names),
        )
    files = {}
    for answer in body.answers:
        field = f"q_{answer.question_id}"
        if answer.written_consent:
            data[f"written_consent_{answer.question_id}"] = "on"
        if answer.file_base64 is None:
            data[field] = answer.value
            continue
        try:
            content = base64.b64decode(answer.file_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ApiError("invalid_request", _("A file must be sent in base64.")) from exc
        files[field] = SimpleUploadedFile(answer.file_name or "attachment", content)
    return CheckoutForm(
        data,
        files,
        questions=event_questions(event=event),
        asks_postal_address=event.asks_postal_address,
        company_allowed=event.allow_company_purchases,
    )


def _form_refusal(form: CheckoutForm) -> ApiError:
    details = [
        {"loc": ["body", name], "type": "invalid", "msg": " ".join(str(e) for e in errors)}
        for name, errors in form.errors.items()
    ]
    return ApiError(
        "invalid_checkout",
        _("Some of the data sent is missing or not valid."),
        status=422,
        details=details,
    )


@router.post(
    "/me/checkout",
    response={201: OrderOut, 200: OrderOut, **error_responses(401, 409, 422, 429)},
    url_name="api_checkout",
    summary="Turn the held tickets into an order (paid at once when free)",
)
def checkout(request: HttpRequest, body: CheckoutIn) -> Status:
    """Sending the same ``idempotency_key`` again answers the first order (200)."""
    user = signed_in_user(request)
    token = api_cart_token(user)
    done = order_repeated(idempotency_key=body.idempotency_key, cart_token=token)
    if done is not None:
        return Status(200, order_out(request, _reread(done.code)))
    event = _cart_event(token)
    if rooms_exist():
        api_queue_first(request, user, event.pk, cart_token=token)
    _limited(request, CHECKOUT, cart_token=token)
    started = time.perf_counter()
    try:
        return _checkout(request, body, user=user, token=token, event=event)
    finally:
        if rooms_exist():
            checkout_timed(event.pk, request, started)
            after_sale_step(event.pk)


def _checkout(request: HttpRequest, body: CheckoutIn, *, user: User, token: str, event) -> Status:
    policy = policy_current()
    if policy is None:
        raise ApiError("no_policy", NO_POLICY, status=409)
    if body.consent.policy_version != policy.version:
        raise ApiError("policy_outdated", POLICY_OUTDATED, status=409)
    form = _form(body, event)
    if not form.is_valid():
        raise _form_refusal(form)
    notice = _notice(request, event, form)
    if body.consent.digest != notice.digest:
        raise _refusal(ConsentTermsChanged())
    consent = ConsentInput(
        processing_wording=notice.text,
        marketing=form.cleaned_data["consent_marketing"],
        marketing_wording=str(MARKETING_CONSENT_TEXT),
        ip_address=request_client_ip(request) or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        channel=notice.channel,
        language=notice.language,
        policy_version=notice.policy,
        written=tuple(form.written_consents()),
        app_name=request_app_name(request) or "",
    )
    try:
        order = order_create(
            cart_token=token,
            idempotency_key=form.cleaned_data["idempotency_key"],
            buyer=form.buyer(),
            answers=form.answers(),
            consent=consent,
            user=user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            company=form.company(),
        )
    except TicketsError as exc:
        raise _refusal(exc) from exc
    return Status(201, order_out(request, _reread(order.code)))


def _reread(code: str) -> Order:
    order = order_for_page(code=code)
    assert order is not None  # just written
    return order


@router.post(
    "/orders/{code}/payment",
    response={200: PaymentOut, **error_responses(401, 404, 409, 422, 502)},
    url_name="api_order_payment",
    summary="Start paying a pending order: open the provider's page at redirect_url",
)
def order_payment(request: HttpRequest, code: str, body: PaymentIn) -> PaymentOut:
    """The buyer comes back to the order's page on the site; poll the order's status."""
    user = signed_in_user(request)
    order = order_for_page(code=code.upper()[:12])
    if order is None or order.user_id != user.pk:
        raise ApiError("order_not_found", _("No such order in your account."), status=404)
    if body.provider not in {p.name for p in providers_enabled()}:
        raise ApiError("unknown_provider", _("Choose a payment method."), status=422)
    try:
        payment = payment_start(
            order_id=order.pk,
            provider_name=body.provider,
            return_url=request.build_absolute_uri(order.get_absolute_url()),
        )
    except TicketsError as exc:
        raise _refusal(exc) from exc
    return PaymentOut(
        provider=payment.provider,
        amount=payment.amount,
        currency=payment.currency,
        redirect_url=payment.redirect_url,
    )


@router.get(
    "/policy",
    auth=None,
    response={200: PolicyOut, **error_responses(404)},
    url_name="api_policy",
    summary="The current privacy policy version and the consent texts to show at checkout",
)
def policy(request: HttpRequest) -> PolicyOut:
    current = policy_current()
    if current is None:
        raise ApiError("no_policy", NO_POLICY, status=404)
    return PolicyOut(
        version=current.version,
        url=request.build_absolute_uri(reverse("privacy:policy")),
        marketing_consent=str(MARKETING_CONSENT_TEXT),
    )

"""The buyer's side of an order: its page, paying it, the account list, attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tickets.access import is_buyer, is_staff_view, may_see_order
from tickets.banktransfer.errors import BankTransferError
from tickets.banktransfer.provider import BANK_TRANSFER
from tickets.banktransfer.selectors import bank_transfer_of, bank_transfer_offered, payment_details
from tickets.banktransfer.services import start_bank_transfer
from tickets.buyer_privacy import buyers_disclosed, order_shown_to_buyer, orders_shown_to_others
from tickets.errors import InvalidTransition, TicketsError
from tickets.models import Answer, Order, Payment
from tickets.payments.base import BasePaymentProvider
from tickets.payments.provider_test import provider_test_decide, provider_test_payment
from tickets.payments.providers import provider_for
from tickets.payments.selectors import providers_of_organizer
from tickets.payments.services import payment_start
from tickets.selectors import order_for_page, orders_of_user
from tickets.services.order_lifecycle import order_cancel
from tickets.services.order_states import Actor

PAID_MESSAGE = _("Payment received. Thank you! Your order is paid.")
DECLINED_MESSAGE = _("The payment was declined. You can try again.")
BANK_TRANSFER_CHOSEN = _(
    "Your tickets are held: pay by bank transfer with the details below before the date shown."
)
CANCELLED_MESSAGE = _("The order is cancelled and its tickets are back on sale.")
TOO_LATE_MESSAGE = _(
    "The payment arrived after the order stopped waiting for it, and its tickets are no longer "
    "held for you. The money is being returned to your card."
)


STAFF_RECIPIENT = "eventum staff"


def _staff_saw(request: HttpRequest, order: Order, fields: tuple[str, ...]) -> None:
    buyers_disclosed(
        actor=request.user,
        recipient=STAFF_RECIPIENT,
        orders=[order],
        purpose=str(_("Staff opened a buyer's order outside the administration")),
        channel="staff",
        fields=fields,
    )


def order_detail(request: HttpRequest, code: str) -> HttpResponse:
    order = order_for_page(code=code.upper())
    if order is None or not may_see_order(request, order):
        raise Http404
    buyer_view = is_buyer(request, order)
    if buyer_view:
        order_shown_to_buyer(order)
    else:  # staff with a second factor: through the privacy guard, and recorded
        orders_shown_to_others([order])
        _staff_saw(request, order, ("name", "email", "phone", "postal_address", "answers"))
    providers = _payment_methods(order)
    transfer = bank_transfer_of(order) if order.status == Order.Status.PENDING else None
    context = {
        "order": order,
        "buyer_view": buyer_view,
        "providers": providers,
        "can_pay": order.status == Order.Status.PENDING and order.total > 0,
        "bank_details": payment_details(transfer) if transfer is not None else None,
    }
    response = render(request, "tickets/order_detail.html", context)
    # "Pay" redirects to the chosen provider's page: its host is a form-action of this page.
    origins = sorted({o for p in providers for o in p.page_origins() if o})
    if origins:
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


def _payment_methods(order: Order) -> list[BasePaymentProvider]:
    """The organizer's methods, and a bank transfer when the event allows one for this order
    and the buyer has not chosen it yet."""
    providers = providers_of_organizer(order.event.organizer)
    if bank_transfer_offered(order) and bank_transfer_of(order) is None:
        providers.append(provider_for(BANK_TRANSFER))
    return providers


@require_POST
def order_pay(request: HttpRequest, code: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.select_related("event__organizer"), code=code.upper())
    if not is_buyer(request, order):
        raise Http404
    names = {p.name for p in _payment_methods(order)}
    provider = request.POST.get("provider", "")
    if provider not in names:
        messages.error(request, _("Choose a payment method."))
        return redirect(order.get_absolute_url())
    if provider == BANK_TRANSFER:
        try:
            start_bank_transfer(order)
        except BankTransferError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, BANK_TRANSFER_CHOSEN)
        return redirect(order.get_absolute_url())
    try:
        payment = payment_start(
            order_id=order.pk,
            provider_name=provider,
            return_url=request.build_absolute_uri(order.get_absolute_url()),
        )
    except TicketsError as exc:
        messages.error(request, exc.message)
        return redirect(order.get_absolute_url())
    return redirect(payment.redirect_url)


def test_payment(request: HttpRequest, public_id: str) -> HttpResponse:
    """The built-in test provider's page: approve or decline, no real money moves."""
    payment = provider_test_payment(public_id=public_id)
    if payment is None:
        raise Http404
    order = payment.order
    if request.method == "POST" and payment.status == Payment.Status.CREATED:
        try:
            approved = provider_test_decide(payment=payment, decision=request.POST.get("decision"))
        except TicketsError as exc:
            messages.error(request, exc.message)
        else:
            if approved and Order.objects.filter(pk=order.pk, status=Order.Status.PAID).exists():
                messages.success(request, PAID_MESSAGE)
            elif approved:  # a late payment, refunded (payment_refund_late)
                messages.warning(request, TOO_LATE_MESSAGE)
            else:
                messages.error(request, DECLINED_MESSAGE)
        return redirect(order.get_absolute_url())
    return render(request, "tickets/test_payment.html", {"payment": payment, "order": order})


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/my_orders.html", {"orders": orders_of_user(user=request.user)})


def attachment_download(request: HttpRequest, code: str, answer_id: int) -> HttpResponse:
    """An uploaded answer file, only for the buyer, the organizer's team and staff."""
    answer = get_object_or_404(
        Answer.objects.select_related("order__event"),
        pk=answer_id,
        order__code=code.upper(),
    )
    order = answer.order
    if not answer.file or not may_see_order(request, order):
        raise Http404
    if is_staff_view(request, order):
        if orders_shown_to_others([order])[0].shown.masked:
            raise Http404
        _staff_saw(request, order, ("answers",))
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=answer.file_name or "attachment",
        content_type=answer.file_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def order_cancel_by_buyer(request: HttpRequest, code: str) -> HttpResponse:
    """The buyer gives up an unpaid order; its tickets go back on sale at once."""
    order = get_object_or_404(Order, code=code.upper())
    if not is_buyer(request, order):
        raise Http404
    if order.status != Order.Status.PENDING:
        messages.error(request, InvalidTransition.default_message)
        return redirect(order.get_absolute_url())
    order_cancel(order_id=order.pk, actor=Actor(user=request.user, label="buyer"))
    messages.success(request, CANCELLED_MESSAGE)
    return redirect(order.get_absolute_url())

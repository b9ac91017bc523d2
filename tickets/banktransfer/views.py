"""The cabinet's "Bank transfers" page (orders waiting for money, statement import, payments
to decide) and its actions; the owner and the accountant use it."""

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from organizers.permissions import organizer_object_or_404, organizer_role_required
from organizers.roles import ROLES_BANK_TRANSFERS
from tickets.banktransfer.forms import LineDecisionForm, MarkPaidForm, ReturnForm, StatementForm
from tickets.banktransfer.imports import statement_import, statement_line_ignore, statement_line_pay
from tickets.banktransfer.models import BankStatementLine, BankTransfer
from tickets.banktransfer.selectors import (
    lines_to_decide,
    order_paid_by_transfer,
    statements_recent,
    transfers_recent,
    transfers_waiting,
)
from tickets.banktransfer.services import bank_transfer_mark_paid, bank_transfer_return_record
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.errors import TicketsError
from tickets.models import Order, OrderItem
from tickets.refunds.selectors import refund_request_pending

PAID = _("The payment is recorded: the order is paid and the buyer gets the tickets by e-mail.")
IGNORED = _("The payment is set aside; no order was changed.")
RETURNED = _("The return is recorded: the tickets are cancelled and the buyer is told.")


def _page(request: HttpRequest, statement_form: StatementForm, status: int = 200) -> HttpResponse:
    organizer = request.organizer  # type: ignore[attr-defined]
    waiting = list(transfers_waiting(organizer=organizer))
    recent = list(transfers_recent(organizer=organizer))
    orders = orders_shown_to_others([t.order for t in waiting + recent])
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(organizer),
        orders=orders,
        purpose=str(_("Bank transfers in the organizer's cabinet")),
        channel="list_view",
    )
    context = {
        "organizer": organizer,
        "waiting": waiting,
        "recent": recent,
        "to_decide": list(lines_to_decide(organizer=organizer)),
        "statements": list(statements_recent(organizer=organizer)),
        "statement_form": statement_form,
    }
    return render(request, "tickets/banktransfer/cabinet.html", context, status=status)


@organizer_role_required(*ROLES_BANK_TRANSFERS)
def bank_transfers(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    return _page(request, StatementForm())


@require_POST
@organizer_role_required(*ROLES_BANK_TRANSFERS)
def statement_upload(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    organizer = request.organizer  # type: ignore[attr-defined]
    form = StatementForm(request.POST, request.FILES, account=organizer.iban)
    if not form.is_valid():
        return _page(request, form, status=400)
    statement = statement_import(
        organizer=organizer,
        file_name=form.cleaned_data["statement"].name,
        raw=form.raw,
        user=request.user,
    )
    messages.success(
        request,
        _(
            "Statement read. Incoming payments: %(incoming)d, new: %(new)d, orders paid: "
            "%(paid)d, payments to decide: %(to_decide)d."
        )
        % {
            "incoming": statement.incoming,
            "new": statement.new_lines,
            "paid": statement.paid,
            "to_decide": statement.to_decide,
        },
    )
    return redirect("tickets:cabinet_bank_transfers", organizer_slug)


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_BANK_TRANSFERS)
def mark_paid(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    organizer = request.organizer  # type: ignore[attr-defined]
    transfer = organizer_object_or_404(
        BankTransfer.objects.select_related("order__event", "payment"),
        organizer=organizer,
        organizer_field="order__event__organizer",
        order__code=code.upper(),
    )
    form = MarkPaidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_transfer_mark_paid(
                order_id=transfer.order_id,
                paid_on=form.cleaned_data["paid_on"],
                document_number=form.cleaned_data["document_number"],
                user=request.user,
            )
        except TicketsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, PAID)
            return redirect("tickets:cabinet_bank_transfers", organizer_slug)
    orders_shown_to_others([transfer.order])
    context = {"organizer": organizer, "transfer": transfer, "order": transfer.order, "form": form}
    status = 400 if form.errors else 200
    return render(request, "tickets/banktransfer/mark_paid.html", context, status=status)


@require_POST
@organizer_role_required(*ROLES_BANK_TRANSFERS)
def line_decide(request: HttpRequest, organizer_slug: str, line_id: int) -> HttpResponse:
    organizer = request.organizer  # type: ignore[attr-defined]
    line = organizer_object_or_404(BankStatementLine, organizer=organizer, pk=line_id)
    form = LineDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("tickets:cabinet_bank_transfers", organizer_slug)
    try:
        if form.cleaned_data["decision"] == "pay":
            statement_line_pay(
                organizer=organizer,
                line_id=line.pk,
                order_code=form.cleaned_data["order_code"],
                user=request.user,
            )
            messages.success(request, PAID)
        else:
            statement_line_ignore(organizer=organizer, line_id=line.pk, user=request.user)
            messages.success(request, IGNORED)
    except TicketsError as exc:
        messages.error(request, exc.message)
    return redirect("tickets:cabinet_bank_transfers", organizer_slug)


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_BANK_TRANSFERS)
def return_record(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    """A refund of a bank-transfer order: the organizer's transfer back, recorded."""
    organizer = request.organizer  # type: ignore[attr-defined]
    order = organizer_object_or_404(
        Order.objects.select_related("event"),
        organizer=organizer,
        organizer_field="event__organizer",
        code=code.upper(),
    )
    request_waiting = refund_request_pending(order=order)
    valid_items = order.items.filter(status=OrderItem.Status.VALID).select_related("ticket_type")
    if request_waiting is not None:
        valid_items = valid_items.filter(pk__in=request_waiting.items.values("pk"))
    valid = list(valid_items)
    refundable = sum((item.amount for item in valid), Decimal("0.00"))
    suggested = request_waiting.amount if request_waiting is not None else refundable
    form = ReturnForm(request.POST or None, initial={"amount": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            bank_transfer_return_record(
                order_id=order.pk,
                amount=form.cleaned_data["amount"],
                returned_on=form.cleaned_data["returned_on"],
                document_number=form.cleaned_data["document_number"],
                user=request.user,
            )
        except TicketsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, RETURNED)
            return redirect("tickets:cabinet_bank_transfers", organizer_slug)
    orders_shown_to_others([order])
    context = {
        "organizer": organizer,
        "order": order,
        "items": valid,
        "refundable": refundable,
        "by_transfer": order_paid_by_transfer(order),
        "request_waiting": request_waiting,
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "tickets/banktransfer/return.html", context, status=status)

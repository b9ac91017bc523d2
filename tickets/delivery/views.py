"""PDF tickets to download, e-mails sent again, and the cabinet's per-ticket door actions."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from organizers.permissions import ROLES_ORDERS, organizer_role_required
from tickets.access import is_buyer, is_staff_view, may_see_order
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.checkin.services import checkin_scan, ticket_secret_reissue
from tickets.delivery.services import (
    order_pdf_current,
    order_pdf_generate,
    render_order_pdf,
    tickets_email_resend,
)
from tickets.errors import TicketsError
from tickets.models import Order, OrderItem
from tickets.selectors import order_for_cabinet

RESENT = gettext_lazy("The tickets are on their way to %(email)s.")
RESENT_TO_BUYER = gettext_lazy("The tickets are on their way to the buyer's e-mail address.")
STAFF_RECIPIENT = "eventum staff"
STAFF_PURPOSE = gettext_lazy("Staff opened a buyer's tickets outside the administration")


def _paid_order_for(request: HttpRequest, code: str) -> Order:
    order = get_object_or_404(
        Order.objects.select_related("event__venue__city", "event__organizer"), code=code.upper()
    )
    if not may_see_order(request, order) or order.status != Order.Status.PAID:
        raise Http404
    return order


def _pdf_response(data_or_file, filename: str) -> HttpResponse:
    if isinstance(data_or_file, bytes):
        response = HttpResponse(data_or_file, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            data_or_file, as_attachment=True, filename=filename, content_type="application/pdf"
        )
    response["Cache-Control"] = "private, no-store"
    return response


def _copy_for_others(
    request: HttpRequest,
    order: Order,
    *,
    layout: str,
    channel: str,
    recipient: str,
    purpose: str,
    item_id: int | None = None,
) -> HttpResponse:
    """The tickets rendered for someone other than the buyer: the holder's name through the
    privacy guard (masked while the buyer is restricted), the hand-over recorded."""
    orders_shown_to_others([order])
    try:
        pdf = render_order_pdf(order, layout=layout, item_id=item_id, holder_name=order.shown.name)
    except OrderItem.DoesNotExist as exc:
        raise Http404 from exc
    buyers_disclosed(
        actor=request.user,
        recipient=recipient,
        orders=[order],
        purpose=purpose,
        channel=channel,
        fields=("name",),
    )
    suffix = f"-{item_id}" if item_id is not None else ""
    return _pdf_response(pdf, f"tickets-{order.code}{suffix}.pdf")


def _staff_copy(
    request: HttpRequest, order: Order, *, layout: str, item_id: int | None = None
) -> HttpResponse:
    """Staff (with a second factor) opening a buyer's tickets: a copy through the guard."""
    return _copy_for_others(
        request,
        order,
        layout=layout,
        channel="staff",
        recipient=STAFF_RECIPIENT,
        purpose=str(STAFF_PURPOSE),
        item_id=item_id,
    )


def _layout(request: HttpRequest) -> str:
    return "phone" if request.GET.get("layout") == "phone" else "a4"


def order_tickets_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The order's tickets: the stored A4 file, or ``?layout=phone`` rendered for a phone."""
    order = _paid_order_for(request, code)
    layout = _layout(request)
    if is_staff_view(request, order):
        return _staff_copy(request, order, layout=layout)
    if layout == "a4":
        # Not stored yet (the worker is behind): make it now; the task then finds it done.
        stored = order_pdf_current(order) or order_pdf_generate(order_id=order.pk)
        if stored is None:
            raise Http404
        try:
            handle = stored.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return _pdf_response(handle, f"tickets-{order.code}.pdf")
    try:
        pdf = render_order_pdf(order, layout=layout)
    except OrderItem.DoesNotExist as exc:
        raise Http404 from exc
    return _pdf_response(pdf, f"tickets-{order.code}-phone.pdf")


def order_ticket_pdf(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    """One ticket of the order as its own PDF (A4 or ``?layout=phone``)."""
    order = _paid_order_for(request, code)
    layout = _layout(request)
    if is_staff_view(request, order):
        return _staff_copy(request, order, layout=layout, item_id=item_id)
    try:
        pdf = render_order_pdf(order, layout=layout, item_id=item_id)
    except OrderItem.DoesNotExist as exc:
        raise Http404 from exc
    return _pdf_response(pdf, f"ticket-{order.code}-{item_id}.pdf")


@require_POST
def order_resend(request: HttpRequest, code: str) -> HttpResponse:
    """The buyer asks for the e-mail with the tickets again."""
    order = get_object_or_404(Order, code=code.upper())
    if not is_buyer(request, order):
        raise Http404
    try:
        tickets_email_resend(order=order, requested_by=request.user, requested_label="buyer")
    except TicketsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, RESENT % {"email": order.email})
    return redirect(order.get_absolute_url())


def _cabinet_order(request: HttpRequest, code: str) -> Order:
    order = order_for_cabinet(organizer=request.organizer, code=code.upper())
    if order is None:
        raise Http404
    return order


@require_POST
@organizer_role_required(*ROLES_ORDERS)
def cabinet_order_resend(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    order = _cabinet_order(request, code)
    try:
        tickets_email_resend(order=order, requested_by=request.user, requested_label="organizer")
    except TicketsError as exc:
        messages.error(request, exc.message)
    else:  # to the buyer's own address, which the team is not shown here
        messages.success(request, RESENT_TO_BUYER)
    return redirect("tickets:cabinet_order", organizer_slug, order.code)


@organizer_role_required(*ROLES_ORDERS)
def cabinet_order_tickets_pdf(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    """The team's copy of a paid order's tickets (holder masked while the buyer is restricted)."""
    order = _cabinet_order(request, code)
    if order.status != Order.Status.PAID:
        raise Http404
    return _copy_for_others(
        request,
        order,
        layout=_layout(request),
        channel="order_page",
        recipient=organizer_recipient(request.organizer),
        purpose=str(gettext_lazy("Tickets downloaded in the organizer's cabinet")),
    )


def _cabinet_item(request: HttpRequest, order: Order, item_id: int) -> OrderItem:
    item = next((i for i in order.items.all() if i.pk == item_id), None)
    if item is None:
        raise Http404
    return item


@require_POST
@organizer_role_required(*ROLES_ORDERS)
def cabinet_item_checkin(
    request: HttpRequest, organizer_slug: str, code: str, item_id: int
) -> HttpResponse:
    """Let one ticket in by hand (the same atomic check as the scanner)."""
    order = _cabinet_order(request, code)
    item = _cabinet_item(request, order, item_id)
    answer = checkin_scan(
        organizer=request.organizer, event=order.event, code=item.secret, user=request.user
    )
    if answer.ok:
        messages.success(request, answer.message)
    else:
        messages.error(request, f"{answer.as_json()['headline']}: {answer.message}")
    return redirect("tickets:cabinet_order", organizer_slug, order.code)


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_ORDERS)
def cabinet_item_reissue(
    request: HttpRequest, organizer_slug: str, code: str, item_id: int
) -> HttpResponse:
    """A new QR code for the ticket; the old one stops working at the door. A GET, or a POST
    without ``confirm``, asks first."""
    order = _cabinet_order(request, code)
    item = _cabinet_item(request, order, item_id)
    if request.POST.get("confirm") != "yes":
        context = {"organizer": request.organizer, "order": order, "item": item}
        return render(request, "tickets/cabinet/item_reissue.html", context)
    ticket_secret_reissue(item_id=item.pk, actor_user=request.user)
    messages.success(
        request,
        _(
            "Ticket %(number)s has a new QR code; the old one no longer works. "
            "Send the tickets to the buyer again."
        )
        % {"number": f"{order.code}-{item.pk}"},
    )
    return redirect("tickets:cabinet_order", organizer_slug, order.code)

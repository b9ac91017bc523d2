"""Refund pages: the organizer's rules of an event and approval queue in the cabinet, the
buyer's return of tickets from the order page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Event
from eventum.numbers import whole_number
from organizers.permissions import (
    ROLES_EVENTS,
    ROLES_ORDERS,
    organizer_object_or_404,
    organizer_role_required,
)
from organizers.roles import ROLES_BANK_TRANSFERS
from tickets.access import is_buyer
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.errors import TicketsError
from tickets.models import Order
from tickets.refunds.forms import RefundPolicyForm
from tickets.refunds.models import RefundPolicy, RefundRequest
from tickets.refunds.selectors import (
    order_refund_quote,
    refund_policy_of,
    refund_request_pending,
    refund_requests_of_organizer,
    refund_rules_for_event,
)
from tickets.refunds.services import (
    order_refund_by_buyer,
    refund_policy_save,
    refund_request_approve,
    refund_request_refuse,
)

SAVED = _("The refund rules are saved. Buyers see them on the event page and at checkout.")
RETURNED = _("The tickets are returned: they no longer let anyone in, and the money is on its way.")
REQUESTED = _("Your request has reached the organizer. We will e-mail you their decision.")
APPROVED = _("Approved: the money is on its way back to the buyer.")
REFUSED = _("Refused: the buyer is told and the tickets stay valid.")


@organizer_role_required(*ROLES_EVENTS)
def refund_rules(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    """The event's refund rules: the category's default until the organizer sets their own."""
    event = organizer_object_or_404(Event, organizer=request.organizer, slug=event_slug)
    rules = refund_rules_for_event(event)
    policy = refund_policy_of(event) or RefundPolicy(event=event, hours_before=rules.hours_before)
    form = RefundPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        refund_policy_save(event=event, **form.cleaned_data)
        messages.success(request, SAVED)
        return redirect("tickets:cabinet_refund_rules", organizer_slug, event.slug)
    context = {"organizer": request.organizer, "event": event, "rules": rules, "form": form}
    return render(
        request, "tickets/refunds/rules_form.html", context, status=400 if form.errors else 200
    )


def _chosen(data) -> list[int] | None:
    """The tickets ticked (``item``), or ``None``: every valid ticket of the order."""
    if not data.getlist("item"):
        return None
    numbers = (whole_number(v) for v in data.getlist("item"))
    return [n for n in numbers if n is not None]


@require_http_methods(["GET", "POST"])
def order_refund_page(request: HttpRequest, code: str) -> HttpResponse:
    """The buyer returns tickets: the page states each ticket's money back (or why not) under
    the rules; only a POST carrying the amount that was shown acts."""
    order = get_object_or_404(Order.objects.select_related("event__category"), code=code.upper())
    if not is_buyer(request, order):
        raise Http404
    back = reverse("tickets:order_refund", args=[order.code]) + f"?s={order.secret}"
    if request.method == "POST":
        try:
            done = order_refund_by_buyer(
                order_id=order.pk,
                item_ids=_chosen(request.POST),
                expected=request.POST.get("expected", ""),
                user=request.user,
            )
        except TicketsError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, REQUESTED if isinstance(done, RefundRequest) else RETURNED)
        return redirect(order.get_absolute_url())
    chosen = _chosen(request.GET)
    context = {
        "order": order,
        "quote": order_refund_quote(order=order, item_ids=chosen),
        "everything": order_refund_quote(order=order) if chosen is not None else None,
        "chosen": chosen,
        "waiting": refund_request_pending(order=order),
    }
    return render(request, "tickets/refunds/order_refund.html", context)


@organizer_role_required(*ROLES_ORDERS)
def refund_requests(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    """Buyers' refund requests waiting for the organizer; restricted buyers come out masked."""
    pending = refund_requests_of_organizer(organizer=request.organizer)
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    shown = orders_shown_to_others([r.order for r in page.object_list])
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(request.organizer),
        orders=shown,
        purpose=str(_("Refund requests in the organizer's cabinet")),
        channel="list_view",
    )
    context = {
        "organizer": request.organizer,
        "page": page,
        # Returns by bank transfer are recorded by the owner or the accountant only.
        "records_transfers": request.membership.role in ROLES_BANK_TRANSFERS,
    }
    return render(request, "tickets/refunds/requests.html", context)


@require_POST
@organizer_role_required(*ROLES_ORDERS)
def refund_request_decide(
    request: HttpRequest, organizer_slug: str, request_id: int
) -> HttpResponse:
    """Approve (the refund goes through the provider) or refuse a buyer's request."""
    refund_request = organizer_object_or_404(
        RefundRequest,
        organizer=request.organizer,
        organizer_field="order__event__organizer",
        pk=request_id,
    )
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            refund_request_approve(request_id=refund_request.pk, user=request.user)
            messages.success(request, APPROVED)
        elif decision == "refuse":
            refund_request_refuse(
                request_id=refund_request.pk, user=request.user, note=request.POST.get("note", "")
            )
            messages.success(request, REFUSED)
        else:
            messages.error(request, _("Choose to approve or to refuse."))
    except TicketsError as exc:
        messages.error(request, exc.message)
    return redirect("tickets:cabinet_refund_requests", organizer_slug)

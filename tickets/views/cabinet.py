"""The organizer's cabinet: orders of the organizer's events, refunds and cancellations."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from organizers.permissions import ROLES_ORDERS, organizer_role_required
from privacy.services import blocked_index, subject_display, subject_is_blocked
from tickets.errors import InvalidTransition, TicketsError
from tickets.models import Order
from tickets.order_search import OrderSearchForm, attendee_list_disclosed, orders_search
from tickets.selectors import OrderRefundFigures, order_for_cabinet, order_refund_figures
from tickets.services.orders import Actor, order_cancel, order_refund

REFUNDED = _("The refund is recorded and the tickets are back on sale.")
CANCELLED = _("The order is cancelled and its tickets are back on sale.")


@organizer_role_required(*ROLES_ORDERS)
def order_list(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    form = OrderSearchForm(request.GET or None, organizer=request.organizer)
    filters = form.filters()
    orders = orders_search(organizer=request.organizer, filters=filters)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    # Buyers whose data is blocked are shown masked (one query for the page).
    index = blocked_index(
        emails=[o.email for o in page.object_list], phones=[o.phone for o in page.object_list]
    )
    for order in page.object_list:
        order.shown = _shown(order, index.is_blocked(email=order.email, phone=order.phone))
    attendee_list_disclosed(
        user=request.user,
        organizer=request.organizer,
        orders=page.object_list,
        purpose=str(_("Order list in the organizer's cabinet")),
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "tickets/cabinet/order_list.html",
        {
            "organizer": request.organizer,
            "page": page,
            "form": form,
            "filters_query": keep.urlencode(),
            "status": filters.get("status", ""),
            "query": filters.get("q", ""),
            "statuses": Order.Status.choices,
            "event_slug": filters.get("event", ""),
            "events": form.events,
        },
    )


def _shown(order: Order, blocked: bool):
    return subject_display(
        name=order.full_name, email=order.email, phone=order.phone, blocked=blocked
    )


def _order_or_404(request: HttpRequest, code: str) -> Order:
    order = order_for_cabinet(organizer=request.organizer, code=code.upper())
    if order is None:
        raise Http404
    return order


@organizer_role_required(*ROLES_ORDERS)
def order_detail(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    order = _order_or_404(request, code)
    order.shown = _shown(
        order, subject_is_blocked(email=order.email, phone=order.phone, user=order.user)
    )
    return render(
        request,
        "tickets/cabinet/order_detail.html",
        {"organizer": request.organizer, "order": order},
    )


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_ORDERS)
def order_refund_view(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    """Refund the chosen tickets (``item`` fields) or, with ``all``, the whole order, in two
    steps: the request (a GET, or the order page's POST) shows the tickets and the money; only
    a POST with ``confirm`` and the figures that were shown acts."""
    order = _order_or_404(request, code)
    data = request.POST if request.method == "POST" else request.GET
    item_ids = None if data.get("all") else _chosen_item_ids(data)
    if item_ids == []:
        messages.error(request, _("Choose at least one ticket to refund."))
        return redirect("tickets:cabinet_order", organizer_slug, order.code)
    figures = order_refund_figures(order=order, item_ids=item_ids)
    if not figures.items:
        # The tickets were refunded meanwhile, or the order is no longer paid or pending.
        nothing = _("Choose at least one valid ticket to refund.")
        messages.error(request, nothing if item_ids else InvalidTransition().message)
        return redirect("tickets:cabinet_order", organizer_slug, order.code)
    reason = data.get("reason", "").replace("\x00", "").strip()[:300]
    confirming = request.method == "POST" and data.get("confirm") == "yes"
    if confirming and data.get("expected") == figures.fingerprint:
        return _order_refund_perform(request, order, figures, reason)
    context = {
        "organizer": request.organizer,
        "order": order,
        "figures": figures,
        "reason": reason,
        "changed": confirming,
    }
    return render(request, "tickets/cabinet/order_refund_confirm.html", context)


def _chosen_item_ids(data) -> list[int]:
    return [int(v) for v in data.getlist("item") if v.isascii() and v.isdigit()]


def _order_refund_perform(
    request: HttpRequest, order: Order, figures: OrderRefundFigures, reason: str
) -> HttpResponse:
    """The confirmed refund or cancellation, through the orders service."""
    actor = Actor(user=request.user, label="organizer")
    try:
        if figures.whole:
            order_cancel(order_id=order.pk, actor=actor, reason=reason, notify_buyer=True)
            messages.success(request, CANCELLED if figures.cancels else REFUNDED)
        else:
            order_refund(
                order_id=order.pk,
                actor=actor,
                item_ids=[item.pk for item in figures.items],
                reason=reason,
                notify_buyer=True,
            )
            messages.success(request, REFUNDED)
    except TicketsError as exc:
        messages.error(request, exc.message)
    return redirect("tickets:cabinet_order", request.organizer.slug, order.code)

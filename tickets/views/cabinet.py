"""The organizer's cabinet: orders of the organizer's events, refunds and cancellations."""

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from eventum.numbers import whole_number
from organizers.permissions import ROLES_ORDERS, organizer_role_required
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.errors import InvalidTransition, TicketsError
from tickets.models import Order
from tickets.order_search import (
    OrderSearchForm,
    order_filter_suggestions,
    orders_page,
    orders_search,
)
from tickets.selectors import OrderRefundFigures, order_for_cabinet, order_refund_figures
from tickets.services.booking_move import (
    BookingMoveRefused,
    order_move_to_slot,
    slots_to_move_to,
)
from tickets.services.order_lifecycle import order_cancel
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

REFUNDED = _("The refund is recorded and the tickets are back on sale.")
MOVED = _("The booking is moved; the buyer gets the tickets with the new time.")
CANCELLED = _("The order is cancelled and its tickets are back on sale.")


@organizer_role_required(*ROLES_ORDERS)
def order_list(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    form = OrderSearchForm(request.GET or None, organizer=request.organizer)
    filters = form.filters()
    orders = orders_search(organizer=request.organizer, filters=filters)
    page = orders_page(
        orders, older_than=request.GET.get("older"), newer_than=request.GET.get("newer")
    )
    # Restricted buyers are shown masked (privacy's guard, a few queries for the page).
    orders_shown_to_others(page.orders)
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(request.organizer),
        orders=page.orders,
        purpose=str(_("Order list in the organizer's cabinet")),
        channel="list_view",
    )
    keep = request.GET.copy()
    for cursor in ("older", "newer", "page"):
        keep.pop(cursor, None)
    return render(
        request,
        "tickets/cabinet/order_list.html",
        {
            "organizer": request.organizer,
            "page": page,
            "form": form,
            "filters_query": keep.urlencode(),
            # each row links to ``tickets:cabinet_order``: this URL and the order's code, put
            # together in the template rather than fifty reverse() calls a page
            "orders_url": reverse("tickets:cabinet_orders", args=[request.organizer.slug]),
        },
    )


@organizer_role_required(*ROLES_ORDERS)
def order_filter_lookup(request: HttpRequest, organizer_slug: str) -> JsonResponse:
    """Suggestions for the order list's typed filters (a few at a time, as the organizer types)."""
    results = order_filter_suggestions(
        organizer=request.organizer,
        kind=request.GET.get("kind", ""),
        text=request.GET.get("q", "")[:100],
        event_text=request.GET.get("event", "")[:200],
    )
    return JsonResponse({"results": results})


ORDER_PAGE_FIELDS = ("name", "email", "phone", "postal_address", "answers")


def _order_or_404(request: HttpRequest, code: str) -> Order:
    """The organizer's order with ``shown``: its buyer as the team may see them."""
    order = order_for_cabinet(organizer=request.organizer, code=code.upper())
    if order is None:
        raise Http404
    orders_shown_to_others([order])
    return order


@organizer_role_required(*ROLES_ORDERS)
def order_detail(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    order = _order_or_404(request, code)
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(request.organizer),
        orders=[order],
        purpose=str(_("Order page in the organizer's cabinet")),
        channel="order_page",
        fields=ORDER_PAGE_FIELDS,
    )
    move_slots = []
    if order.event.is_service and order.status == Order.Status.PAID:
        move_slots = slots_to_move_to(order=order)
    return render(
        request,
        "tickets/cabinet/order_detail.html",
        {"organizer": request.organizer, "order": order, "move_slots": move_slots},
    )


@require_POST
@organizer_role_required(*ROLES_ORDERS)
def order_move(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    """Move a service's booking to another time slot (the buyer gets the tickets again)."""
    order = _order_or_404(request, code)
    session_id = whole_number(request.POST.get("session"))
    try:
        if session_id is None:
            raise BookingMoveRefused(_("Choose a time ahead of this service."))
        order_move_to_slot(order_id=order.pk, session_id=session_id, actor_user=request.user)
    except TicketsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MOVED)
    return redirect("tickets:cabinet_order", organizer_slug, order.code)


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
    numbers = (whole_number(v) for v in data.getlist("item"))
    return [n for n in numbers if n is not None]


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


@organizer_role_required(*ROLES_ORDERS)
def order_attachment(
    request: HttpRequest, organizer_slug: str, code: str, answer_id: int
) -> HttpResponse:
    """A file the buyer attached at checkout; gone for the team while the buyer is restricted."""
    order = _order_or_404(request, code)
    answer = next((a for a in order.answers.all() if a.pk == answer_id), None)
    if answer is None or not answer.file or order.shown.masked:
        raise Http404
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(request.organizer),
        orders=[order],
        purpose=str(_("Attachment downloaded in the organizer's cabinet")),
        channel="order_page",
        fields=("answers",),
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=answer.file_name or "attachment",
        content_type=answer.file_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def cabinet_moved(request: HttpRequest, organizer_slug: str, rest: str = "") -> HttpResponse:
    """The cabinet's pages moved from ``/orders/cabinet/<organizer>/…`` to
    ``/cabinet/<organizer>/…`` (orders to ``…/orders/…``): bookmarks and old links follow them.
    Any method is sent on (308 keeps a form's POST); nothing else is done here."""
    language_prefix = request.path[: request.path.index("/orders/cabinet/")]
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
    candidates = [f"/cabinet/{organizer_slug}/{rest}"] if rest else []
    candidates.append(f"/cabinet/{organizer_slug}/orders/{rest}")
    for candidate in candidates:
        match = _resolves(language_prefix + candidate)
        if match is not None and match.url_name != "cabinet_moved":
            response = HttpResponsePermanentRedirect(language_prefix + candidate + query)
            if request.method not in ("GET", "HEAD"):
                response.status_code = 308
            return response
    raise Http404


def _resolves(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None

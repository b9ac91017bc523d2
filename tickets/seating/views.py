"""Choosing seats on the hall map: availability JSON, hold and release a seat, best available.

Called by ``seatmap.js`` with ``fetch`` (JSON answers); the best-available form also works as
a plain form without JavaScript (it redirects to checkout or back to the map with a message).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from events.models import Session
from eventum.numbers import whole_number
from eventum.ratelimit import Limit, rate_limited
from tickets.access import cart_token_for
from tickets.errors import TicketsError
from tickets.seating.selectors import best_available, seat_availability, session_plan
from tickets.seating.services import (
    MAX_SEATS_PER_ORDER,
    SeatUnavailable,
    seats_hold,
    seats_release,
)
from tickets.waitroom.gate import (
    QUEUE_FIRST,
    guarded,
    portal_admitted,
    portal_refusal,
    queue_url,
)

BEST_TRIES = 3

# Holding seats (one by one or best available) is limited so that a bot with many carts cannot
# hold a whole hall: per cart it is generous for a buyer changing their mind; per address it
# leaves room for many buyers behind one mobile carrier's address. Without the cache it fails
# open: refusing would stop every seated sale, and a hold is bounded by the seats per order and
# expires with its timer, while each seat is still taken by one cart only (database).
SEAT_HOLDS = Limit(
    "seats",
    per_ip=60,
    per_cart=30,
    window_seconds=600,
    fail_open=True,
    message=gettext_lazy(
        "Too many seats chosen in a short time. Please wait a few minutes and try again; "
        "the seats you already hold stay yours until the timer runs out."
    ),
)


def _public_session(session_id: int) -> Session:
    session = Session.objects.select_related("event").filter(pk=session_id).first()
    if session is None or not session.event.is_public:
        raise Http404
    return session


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(request: HttpRequest, session: Session, *, error: TicketsError | None = None):
    availability = seat_availability(
        session_id=session.pk, cart_token=cart_token_for(request)
    ).as_json()
    if error is not None:
        availability["error"] = str(error.message)
    if _wants_json(request):
        status = 200 if error is None else (409 if isinstance(error, SeatUnavailable) else 400)
        response = JsonResponse(availability, status=status)
        add_never_cache_headers(response)
        return response
    if error is not None:
        messages.error(request, error.message)
        return redirect(session.get_absolute_url())
    return redirect("tickets:checkout")


def _seat_ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("seat")
    seat_ids = [whole_number(value) for value in raw]
    if not raw or None in seat_ids or len(raw) > MAX_SEATS_PER_ORDER:
        raise TicketsError(_("Choose a seat on the map."))
    return [seat_id for seat_id in seat_ids if seat_id is not None]


def _too_many_holds(request: HttpRequest, limit: Limit, session_id: int) -> HttpResponse:
    """Past ``SEAT_HOLDS``: a JSON 429 for the map, the 429 page back to the event otherwise."""
    if _wants_json(request):
        response = JsonResponse({"error": str(limit.message)}, status=429)
        add_never_cache_headers(response)
    else:
        session = Session.objects.select_related("event").filter(pk=session_id).first()
        back_url = session.event.get_absolute_url() if session and session.event.is_public else ""
        response = render(
            request,
            "429.html",
            {
                "message": limit.message,
                "back_url": back_url,
                "back_label": _("Back to the seat map"),
            },
            status=429,
        )
    response["Retry-After"] = str(limit.window_seconds)
    return response


def _seat_cart(request: HttpRequest, *args, **kwargs) -> str | None:
    return cart_token_for(request)


@require_GET
def availability(request: HttpRequest, session_id: int) -> HttpResponse:
    """Seats not free now (taken, held, blocked) and the visitor's own; polled by the map."""
    session = _public_session(session_id)
    response = JsonResponse(
        seat_availability(session_id=session.pk, cart_token=cart_token_for(request)).as_json()
    )
    add_never_cache_headers(response)
    return response


def _session_event(request: HttpRequest, session_id: int) -> int | None:
    return Session.objects.filter(pk=session_id).values_list("event_id", flat=True).first()


def _queued(request: HttpRequest, event_id: int, session_id: int) -> HttpResponse | None:
    """Without an admission pass while the sale has a queue: the map is told where it is."""
    if not _wants_json(request):
        return portal_refusal(request, event_id, "")
    if portal_admitted(request, event_id):
        return None
    response = JsonResponse(
        {"error": str(QUEUE_FIRST), "queue_url": queue_url(event_id)}, status=403
    )
    add_never_cache_headers(response)
    return response


@require_POST
@guarded(_session_event, refused=_queued)
@rate_limited(SEAT_HOLDS, cart_token=_seat_cart, refused=_too_many_holds)
def hold(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _public_session(session_id)
    try:
        seats_hold(
            cart_token=cart_token_for(request, create=True),
            session_id=session.pk,
            seat_ids=_seat_ids(request),
            user=request.user,
        )
    except TicketsError as exc:
        return _answer(request, session, error=exc)
    return _answer(request, session)


@require_POST
def release(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _public_session(session_id)
    token = cart_token_for(request)
    try:
        if token:
            seats_release(cart_token=token, session_id=session.pk, seat_ids=_seat_ids(request))
    except TicketsError as exc:
        return _answer(request, session, error=exc)
    return _answer(request, session)


@require_POST
@guarded(_session_event, refused=_queued)
@rate_limited(SEAT_HOLDS, cart_token=_seat_cart, refused=_too_many_holds)
def best(request: HttpRequest, session_id: int) -> HttpResponse:
    """Hold the best ``count`` adjacent seats (of ``category`` when given)."""
    session = _public_session(session_id)
    plan = session_plan(session_id=session.pk)
    count = whole_number(request.POST.get("count", ""), max_digits=3)
    if plan is None or count is None or not 1 <= count <= MAX_SEATS_PER_ORDER:
        error = TicketsError(
            _("Choose from 1 to %(count)d seats.") % {"count": MAX_SEATS_PER_ORDER}
        )
        return _answer(request, session, error=error)
    category_id = whole_number(request.POST.get("category", ""))
    token = cart_token_for(request, create=True)
    error: TicketsError | None = None
    for _attempt in range(BEST_TRIES):  # another buyer may take the chosen seats meanwhile
        chosen = best_available(
            plan=plan,
            availability=seat_availability(session_id=session.pk, cart_token=token),
            count=count,
            category_id=category_id,
        )
        if not chosen:
            error = TicketsError(
                _("There are no %(count)s free seats side by side.") % {"count": count}
            )
            break
        try:
            seats_hold(cart_token=token, session_id=session.pk, seat_ids=chosen, user=request.user)
        except SeatUnavailable as exc:
            error = exc
            continue
        except TicketsError as exc:
            error = exc
            break
        error = None
        break
    return _answer(request, session, error=error)

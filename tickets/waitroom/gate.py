"""The door in front of an event's sale: who may pass while its waiting room is on.

Every path that sells an event's tickets asks here — the event page (through the events hook
``sale_gate``), the cart, seat holds and the checkout of the portal, the widget's pages and
the API's hold and checkout. While the room is on and tickets are left, only a visitor with a
valid pass (``tickets.waitroom.passes``) gets through; everyone else is sent to the queue. With
no room configured anywhere the check is one small read of the store and nothing else.

If the store cannot be reached the door stays open (logged): the queue only spreads the rush
out, the database still guards every ticket, and a broken Redis must not stop all sales.
"""

import functools
import logging
import re
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _

from eventum.cache import CACHE_ERRORS
from eventum.ratelimit import Limit, attempt_allowed
from eventum.request_timing import request_elapsed_ms
from privacy.identity import request_client_ip
from tickets.models import Reservation
from tickets.waitroom import room
from tickets.waitroom.passes import pass_valid
from tickets.waitroom.services import waitroom_sold_out_refresh

logger = logging.getLogger(__name__)

VISITOR_COOKIE = "eventum_queue"
VISITOR_COOKIE_MAX_AGE = 24 * 3600
_VISITOR = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
QUEUE_FIRST = _(
    "Tickets to this event are sold through a queue: take your place and wait for your turn."
)
TOO_MANY_PLACES = _(
    "Too many places in this queue have been taken from your address. Please wait in the place "
    "you already have."
)


def pass_cookie_name(event_id: int) -> str:
    return f"eventum_queue_pass_{event_id}"


def visitor_of(request: HttpRequest) -> str:
    """The browser's queue id from its cookie (``""`` without one or with a malformed one)."""
    value = request.COOKIES.get(VISITOR_COOKIE, "")
    return value if _VISITOR.match(value) else ""


def visitor_new() -> str:
    return secrets.token_urlsafe(18)


def set_visitor_cookie(response: HttpResponse, visitor: str) -> None:
    response.set_cookie(
        VISITOR_COOKIE,
        visitor,
        max_age=VISITOR_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def set_pass_cookie(response: HttpResponse, event_id: int, token: str) -> None:
    response.set_cookie(
        pass_cookie_name(event_id),
        token,
        max_age=settings.WAITROOM_PASS_MINUTES * 60,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def room_holds(event_id: int | None) -> bool:
    """Whether a queue stands in front of this event's sale right now (and tickets are left)."""
    return _room_of(event_id)[0]


def _room_of(event_id: int | None) -> tuple[bool, bool]:
    """Whether the event's room holds, and whether it has a room at all (an unreadable room
    counts as one: its door is left open, but nothing else is assumed of it)."""
    if event_id is None:
        return False, False
    try:
        config, state = room.config_read(event_id)
    except CACHE_ERRORS as error:
        logger.warning("Waiting room of event %s unreadable, door left open: %s", event_id, error)
        return False, True
    holds = room.room_active(config, state, time.time()) and not state.sold_out
    return holds, config is not None


def rooms_exist() -> bool:
    try:
        return room.rooms_configured()
    except CACHE_ERRORS as error:
        logger.warning("Waiting rooms unreadable, doors left open: %s", error)
        return False


def portal_admitted(request: HttpRequest, event_id: int) -> bool:
    token = request.COOKIES.get(pass_cookie_name(event_id))
    return pass_valid(token, event_id=event_id, visitor=visitor_of(request))


def queue_url(event_id: int, next_url: str = "") -> str:
    url = reverse("tickets:waitroom_queue", args=[event_id])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def portal_refusal(
    request: HttpRequest, event_id: int | None, next_url: str
) -> HttpResponse | None:
    """The redirect to the queue for a visitor without a pass while the room holds; else None."""
    if event_id is None or not room_holds(event_id) or portal_admitted(request, event_id):
        return None
    response = HttpResponseRedirect(queue_url(event_id, next_url))
    add_never_cache_headers(response)
    return response


def held_before_room(*, cart_token: str | None, event_id: int) -> bool:
    """Whether the cart holds tickets of the event taken before its room came on (all of them):
    a buyer already at the checkout when the queue switched on finishes without queueing."""
    if not cart_token:
        return False
    try:
        config, state = room.config_read(event_id)
    except CACHE_ERRORS:
        return False
    since = room.room_on_since(config, state) if config else 0.0
    if not since:
        return False
    holds = Reservation.objects.filter(
        cart__token=cart_token,
        ticket_type__session__event_id=event_id,
        expires_at__gt=timezone.now(),
    )
    came_on = datetime.fromtimestamp(since, tz=UTC)
    return holds.exists() and not holds.filter(created_at__gte=came_on).exists()


def checkout_refusal(
    request: HttpRequest, event_id: int, cart_token: str | None
) -> HttpResponse | None:
    """The portal checkout's door: a pass, or a cart held since before the room came on."""
    if held_before_room(cart_token=cart_token, event_id=event_id):
        return None
    return portal_refusal(request, event_id, _back_url(request))


def place_limit(event_id: int) -> Limit:
    """Places one address may take in one event's queue an hour (a bot farm gets only these)."""
    return Limit(
        f"waitroom-{event_id}",
        per_ip=settings.WAITROOM_PLACES_PER_ADDRESS,
        window_seconds=3600,
        message=TOO_MANY_PLACES,
    )


def join_allowed(request: HttpRequest, event_id: int) -> bool:
    """Count a new place against the visitor's address; False past the limit."""
    return bool(attempt_allowed(place_limit(event_id), client_ip=request_client_ip(request)))


def sale_gate(
    *, request: HttpRequest, event_slug: str, serve: Callable[[], HttpResponse]
) -> HttpResponse:
    """The events hook: the event page's visitors queue while the room holds.

    A page a pass let through is that visitor's: no shared cache may keep it for others."""
    try:
        event_id = room.event_id_for_slug(event_slug) if room.rooms_configured() else None
    except CACHE_ERRORS as error:
        logger.warning("Waiting room unreadable, event page left open: %s", error)
        return serve()
    if not room_holds(event_id):
        return serve()
    assert event_id is not None
    refusal = portal_refusal(request, event_id, request.get_full_path())
    if refusal is not None:
        return refusal
    response = serve()
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def guarded(
    event_of: Callable[..., int | None],
    *,
    refused: Callable[..., HttpResponse] | None = None,
    timed: bool = False,
    posts_read_the_event: bool = False,
) -> Callable:
    """Decorate a sale view: visitors of an event whose room holds need a pass.

    ``event_of(request, *args, **kwargs)`` names the event the request buys for (asked only
    when some room exists); ``refused(request, event_id, *args, **kwargs)`` answers a visitor
    without a pass (by default the redirect to the portal's queue). ``timed`` notes how long
    each POST took, the checkout latency that paces admission and can switch a room on.
    ``posts_read_the_event``: the view reads the event of a POST anyway (``event_of`` keeps it
    on the request), so for a POST it is asked first, and the event's own room answers
    whether one holds: no need to ask whether any room exists (one round trip fewer).
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            asks_event = posts_read_the_event and request.method == "POST"
            if not asks_event and not rooms_exist():
                return view(request, *args, **kwargs)
            event_id = event_of(request, *args, **kwargs)
            holds, has_room = _room_of(event_id)
            if holds:
                if refused is not None:
                    answer = refused(request, event_id, *args, **kwargs)
                else:
                    answer = portal_refusal(request, event_id, _back_url(request))
                if answer is not None:
                    return answer
            started = time.perf_counter()
            response = view(request, *args, **kwargs)
            # an event without a room (read just now) needs no figure: not asked again
            if timed and has_room and event_id is not None and request.method == "POST":
                checkout_timed(event_id, request, started)
            if holds and request.method in ("POST", "PUT"):
                _sold_out_refresh(event_id)
            return response

        return wrapped

    return decorate


def _back_url(request: HttpRequest) -> str:
    return request.get_full_path() if request.method == "GET" else ""


def _sold_out_refresh(event_id: int) -> None:
    """After a sale step under the room: the queue learns at once when nothing is left."""
    try:
        waitroom_sold_out_refresh(event_id=event_id)
    except CACHE_ERRORS as error:
        logger.warning("Sold-out state of event %s not noted: %s", event_id, error)


def after_sale_step(event_id: int) -> None:
    """A hold or an order was made for the event: while its room holds, re-check sold out."""
    if room_holds(event_id):
        _sold_out_refresh(event_id)


def checkout_timed(event_id: int, request: HttpRequest, started: float) -> None:
    """Note how long a checkout took, as its buyer waited for it (from when the front proxy
    received it, when it says), for the room's pace; ``started``: ``time.perf_counter()`` at
    the view's start. Never breaks the checkout."""
    try:
        room.latency_record(event_id, request_elapsed_ms(request, started))
    except CACHE_ERRORS as error:
        logger.warning("Checkout latency of event %s not noted: %s", event_id, error)

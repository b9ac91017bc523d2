"""The queue page and its cheap status poll (portal), and the organizer's settings pages.

The queue page is the one door of the queue, reached from a link or a redirect and refreshed
by ``<meta http-equiv="refresh">`` without JavaScript, so its GET takes a place for a browser
that has none: a Redis entry, never a database row. The status poll (``queue_status``) is what
a waiting page asks every few seconds: it reads the store only, no database and no template.
"""

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from eventum.cache import CACHE_ERRORS
from eventum.ratelimit import too_many_requests
from organizers.permissions import ROLES_EVENTS, OrganizerRequest, organizer_role_required
from tickets.waitroom import room
from tickets.waitroom.forms import WaitingRoomForm
from tickets.waitroom.gate import (
    join_allowed,
    place_limit,
    set_pass_cookie,
    set_visitor_cookie,
    visitor_new,
    visitor_of,
)
from tickets.waitroom.passes import pass_issue
from tickets.waitroom.selectors import organizer_rooms, room_event_or_404
from tickets.waitroom.services import waitroom_save

logger = logging.getLogger(__name__)

SAVED = _("Waiting room settings saved.")


def estimate_text(seconds: int) -> str:
    """An honest, rounded-up wait: whole minutes from the current pace."""
    if seconds < 60:
        return str(_("less than a minute"))
    minutes = -(-seconds // 60)
    return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}


def _next_url(request: HttpRequest, config: room.RoomConfig | None) -> str:
    wanted = request.GET.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    if config is not None and config.slug:
        return reverse("events:event_detail", kwargs={"slug": config.slug})
    return reverse("events:home")


def _admitted(response: HttpResponse, event_id: int, visitor: str) -> HttpResponse:
    set_pass_cookie(response, event_id, pass_issue(event_id=event_id, visitor=visitor))
    return response


def place_taken(request: HttpRequest, event_id: int, visitor: str) -> tuple[room.Place | None, str]:
    """The visitor's place, taken now if they have none; ``None`` past the address's limit.
    With the store unreachable the door is open (``"open"``). Also the event's slug."""
    try:
        place = room.place_of(event_id, visitor)
        if place.state == "none":
            if not join_allowed(request, event_id):
                return None, place.config.slug if place.config else ""
            room.join(event_id, visitor)
            place = room.place_of(event_id, visitor)
    except CACHE_ERRORS as error:  # the door stays open without the store
        logger.warning("Waiting room of event %s unavailable: %s", event_id, error)
        return room.Place(state="open"), ""
    return place, place.config.slug if place.config else ""


def queue_context(place: room.Place, language: str) -> dict:
    config = place.config
    return {
        "place": place,
        "title": config.title(language) if config else "",
        "opens_at": datetime.fromtimestamp(place.opens_at, tz=UTC) if place.opens_at else None,
        "estimate": estimate_text(place.estimate_seconds),
        "poll_seconds": place.poll_seconds,
    }


@require_GET
def queue_page(request: HttpRequest, event_id: int) -> HttpResponse:
    """Take a place (once per browser), show it, and let the visitor through when admitted."""
    visitor = visitor_of(request)
    fresh = not visitor
    visitor = visitor or visitor_new()
    place, _slug = place_taken(request, event_id, visitor)
    if place is None:
        return too_many_requests(request, place_limit(event_id))
    next_url = _next_url(request, place.config)
    if place.state == "open":
        response: HttpResponse = redirect(next_url)
    elif place.state == "admitted":
        response = _admitted(redirect(next_url), event_id, visitor)
    else:
        response = render(
            request, "tickets/waitroom/queue.html", _context(request, place, event_id, next_url)
        )
    if fresh:
        set_visitor_cookie(response, visitor)
    add_never_cache_headers(response)
    return response


def _context(request: HttpRequest, place: room.Place, event_id: int, next_url: str) -> dict:
    language = translation.get_language() or settings.LANGUAGE_CODE
    status_url = reverse("tickets:waitroom_status", args=[event_id])
    return {
        **queue_context(place, language),
        "event_url": _next_url(request, place.config),
        "status_url": f"{status_url}?{request.GET.urlencode()}" if request.GET else status_url,
        "next_url": next_url,
    }


POLL_CACHE_CONTROL = "max-age=0, no-cache, no-store, must-revalidate, private"


@require_GET
def queue_status(request: HttpRequest, event_id: int) -> JsonResponse:
    """The waiting page's poll: the place, or where to go now. Reads only the store."""
    visitor = visitor_of(request)
    try:
        place = room.place_of(event_id, visitor) if visitor else room.Place(state="none")
    except CACHE_ERRORS as error:
        logger.warning("Waiting room of event %s unavailable: %s", event_id, error)
        place = room.Place(state="open")
    body: dict = {
        "state": place.state,
        "position": place.position,
        "number": place.number,
        "size": place.size,
        "estimate_seconds": place.estimate_seconds,
        "poll_seconds": place.poll_seconds,
    }
    if place.state == "waiting":
        body["estimate_text"] = estimate_text(place.estimate_seconds)
    if place.state in ("admitted", "open"):
        body["next"] = _next_url(request, place.config)
    response = JsonResponse(body)
    if place.state == "admitted":
        _admitted(response, event_id, visitor)
    # what ``add_never_cache_headers`` says, without its ``Expires`` date (``max-age=0`` says
    # it to every HTTP/1.1 cache): formatting that date was a sixth of the poll's own work
    response["Cache-Control"] = POLL_CACHE_CONTROL
    return response


@organizer_role_required(*ROLES_EVENTS)
def cabinet_rooms(request: OrganizerRequest, organizer_slug: str) -> HttpResponse:
    """The organizer's events and whether a queue stands in front of each sale."""
    context = {"organizer": request.organizer, "rows": organizer_rooms(organizer=request.organizer)}
    return render(request, "tickets/waitroom/cabinet_rooms.html", context)


@organizer_role_required(*ROLES_EVENTS)
def cabinet_room(request: OrganizerRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    """Switch one event's waiting room on or off, its opening, pace cap and automatic switch."""
    event, waiting_room = room_event_or_404(organizer=request.organizer, event_slug=event_slug)
    form = WaitingRoomForm(request.POST or None, instance=waiting_room)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        waitroom_save(
            event=event,
            enabled=data["enabled"],
            opens_at=data["opens_at"],
            admit_per_minute=data["admit_per_minute"],
            auto_enabled=data["auto_enabled"],
            auto_threshold_ms=data["auto_threshold_ms"],
        )
        messages.success(request, SAVED)
        return redirect("tickets:cabinet_waitroom", request.organizer.slug, event.slug)
    live = None
    if waiting_room.pk:
        try:
            live = room.place_of(event.pk, "")
        except CACHE_ERRORS:
            live = None
    context = {"organizer": request.organizer, "event": event, "form": form, "live": live}
    status = 400 if form.errors else 200
    return render(request, "tickets/waitroom/cabinet_room.html", context, status=status)

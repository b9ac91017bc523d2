"""``/api/v1/events/...``, ``/api/v1/sessions/...``: the public catalogue for apps and partners.

No sign-in; reads only (a GET never writes: expired holds go back on sale from the periodic
task, as on the pages). Texts follow ``Accept-Language`` (ru, kk, en)."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view

from events.api.schemas import (
    AvailabilityOut,
    EventListOut,
    EventOut,
    Named,
    SessionListOut,
    event_card,
    event_out,
    session_out,
    ticket_type_out,
)
from events.forms import CatalogueFilterForm
from events.models import Event, Session
from events.selectors import (
    catalogue,
    categories_all,
    cities_all,
    event_for_public_page,
    events_fresh,
    session_with_ticket_types,
    sessions_seated,
)
from eventum.api.caching import etag_cached
from eventum.api.errors import ApiError, error_responses
from eventum.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_slice

router = Router(tags=["catalogue"])

UNKNOWN_FILTER = _("A filter value is not known: check the city and category slugs and dates.")


class CatalogueQuery(Schema):
    q: str = ""
    city: str = ""
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None
    price_max: Decimal | None = None
    free: bool = False
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _filters(query: CatalogueQuery) -> dict:
    """The catalogue page's own filter form decides, so both read the same events."""
    data = {
        name: str(value)
        for name, value in query.dict(exclude={"cursor", "limit"}).items()
        if value not in (None, "", False)
    }
    if query.free:
        data["free"] = "on"
    form = CatalogueFilterForm(data)
    if data and not form.is_valid():
        raise ApiError("invalid_filter", UNKNOWN_FILTER)
    return form.filters()


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError("invalid_limit", _("The limit must be between 1 and 100."))
    return limit


@router.get(
    "/events",
    response={200: EventListOut, **error_responses(400)},
    url_name="api_events",
    summary="Published events with a session ahead, soonest first",
)
@decorate_view(etag_cached)
def events_list(request: HttpRequest, query: Query[CatalogueQuery]) -> EventListOut:
    """Filters as on the catalogue page; ``q`` is a full-text search (then best match first).

    Each page holds at most ``limit`` events; pass ``next_cursor`` as ``cursor`` for the next.
    """
    qs = catalogue(**_filters(query))
    ids, next_cursor = cursor_slice(qs, cursor=query.cursor, limit=_limit(query.limit))
    events = events_fresh(qs, ids)
    return EventListOut(items=[event_card(request, e) for e in events], next_cursor=next_cursor)


def _event(slug: str) -> Event:
    try:
        return event_for_public_page(slug=slug[:120])
    except Event.DoesNotExist as exc:
        raise ApiError("event_not_found", _("No such event."), status=404) from exc


@router.get(
    "/events/{slug}",
    response={200: EventOut, **error_responses(404)},
    url_name="api_event",
    summary="One event with its sessions and ticket types",
)
@decorate_view(etag_cached)
def event_detail(request: HttpRequest, slug: str) -> EventOut:
    """Cancelled and finished events are answered too (``status`` says so); drafts are not."""
    event = _event(slug)
    sessions = list(event.sessions.all())
    seated = sessions_seated(session_ids=[s.pk for s in sessions])
    return event_out(request, event, now=timezone.now(), seated=seated)


@router.get(
    "/events/{slug}/sessions",
    response={200: SessionListOut, **error_responses(404)},
    url_name="api_event_sessions",
    summary="The sessions of an event with their ticket types",
)
@decorate_view(etag_cached)
def event_sessions(request: HttpRequest, slug: str) -> SessionListOut:
    event = _event(slug)
    sessions = list(event.sessions.all())
    seated = sessions_seated(session_ids=[s.pk for s in sessions])
    now = timezone.now()
    return SessionListOut(items=[session_out(s, now=now, seated=seated) for s in sessions])


@router.get(
    "/sessions/{session_id}/availability",
    response={200: AvailabilityOut, **error_responses(404)},
    url_name="api_session_availability",
    summary="Tickets left per ticket type of a session, right now",
)
@decorate_view(etag_cached(max_age=0))
def session_availability(request: HttpRequest, session_id: int) -> AvailabilityOut:
    """Not cached by proxies (``no-cache``); the ETag still saves the body when unchanged."""
    try:
        session = session_with_ticket_types(pk=session_id)
    except Session.DoesNotExist as exc:
        raise ApiError("session_not_found", _("No such session."), status=404) from exc
    now = timezone.now()
    return AvailabilityOut(
        session_id=session.pk,
        ticket_types=[ticket_type_out(t, now=now) for t in session.ticket_types.all()],
    )


@router.get(
    "/categories",
    response=list[Named],
    url_name="api_categories",
    summary="Event categories (slugs for the catalogue filter)",
)
@decorate_view(etag_cached)
def categories(request: HttpRequest) -> list[Named]:
    return [Named(slug=c.slug, name=c.name) for c in categories_all()]


@router.get(
    "/cities",
    response=list[Named],
    url_name="api_cities",
    summary="Cities (slugs for the catalogue filter)",
)
@decorate_view(etag_cached)
def cities(request: HttpRequest) -> list[Named]:
    return [Named(slug=c.slug, name=c.name) for c in cities_all()]

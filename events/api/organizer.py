"""``/api/v1/organizer/events...``: an organizer's own events for its systems (API key with the
``events:read`` scope). Another organizer's event is the same 404 as an unknown one."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from events.api.schemas import SessionOut, session_out
from events.models import Event
from events.selectors import event_for_cabinet, events_for_cabinet, sessions_seated
from eventum.api.auth import key_with_scope, organizer_auth
from eventum.api.errors import ApiError, error_responses
from eventum.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_slice, page_rows
from organizers.models import Organizer

router = Router(tags=["organizer"], auth=organizer_auth)

EVENTS_READ = "events:read"


class Page(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class OrganizerEventOut(Schema):
    id: int
    slug: str
    title: str
    status: str
    first_starts_at: datetime | None
    tickets_taken: int
    created_at: datetime


class OrganizerEventListOut(Schema):
    items: list[OrganizerEventOut]
    next_cursor: str | None


class OrganizerEventDetailOut(OrganizerEventOut):
    sessions: list[SessionOut]


def _row(event: Event) -> OrganizerEventOut:
    return OrganizerEventOut(
        id=event.pk,
        slug=event.slug,
        title=event.title,
        status=event.status,
        first_starts_at=getattr(event, "first_starts_at", None),
        tickets_taken=getattr(event, "tickets_taken", 0) or 0,
        created_at=event.created_at,
    )


@router.get(
    "/organizer/events",
    response={200: OrganizerEventListOut, **error_responses(400, 401, 403)},
    url_name="api_organizer_events",
    summary="The key's organizer's events (drafts included), newest first",
)
def organizer_events(request: HttpRequest, page: Query[Page]) -> OrganizerEventListOut:
    key = key_with_scope(request, EVENTS_READ)
    if not 1 <= page.limit <= MAX_LIMIT:
        raise ApiError("invalid_limit", _("The limit must be between 1 and 100."))
    qs = events_for_cabinet(organizer=key.organizer)
    ids, next_cursor = cursor_slice(qs, cursor=page.cursor, limit=page.limit)
    events = page_rows(list(qs.filter(pk__in=ids)), ids)
    return OrganizerEventListOut(
        items=[_row(e) for e in events],  # type: ignore[arg-type]
        next_cursor=next_cursor,
    )


@router.get(
    "/organizer/events/{event_id}",
    response={200: OrganizerEventDetailOut, **error_responses(401, 403, 404)},
    url_name="api_organizer_event",
    summary="One of the organizer's events with its sessions and ticket types",
)
def organizer_event(request: HttpRequest, event_id: int) -> OrganizerEventDetailOut:
    key = key_with_scope(request, EVENTS_READ)
    return organizer_event_detail(organizer=key.organizer, event_id=event_id)


def organizer_event_detail(*, organizer: Organizer, event_id: int) -> OrganizerEventDetailOut:
    """The organizer's event with its sessions and ticket types (404 for anyone else's)."""
    try:
        event = event_for_cabinet(organizer=organizer, pk=event_id)
    except Event.DoesNotExist as exc:
        raise ApiError("event_not_found", _("No such event."), status=404) from exc
    sessions = list(event.sessions.all())
    seated = sessions_seated(session_ids=[s.pk for s in sessions])
    now = timezone.now()
    return OrganizerEventDetailOut(
        **_row(event).dict(),
        sessions=[session_out(s, now=now, seated=seated) for s in sessions],
    )

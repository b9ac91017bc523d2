"""``Event.upcoming_at``: the start of each event's next session ahead, kept in a column.

The home page and the catalogue list events soonest first. Sorting thousands of events on a
subquery costs a page more with every event in the database; a column with an index keeps it
a short index scan. The column is set whenever a session is saved or deleted (signals, so the
cabinet, the admin and fixtures all keep it) and moves on when a session starts:
``upcoming_refresh_stale`` runs every minute (beat) and touches only the rows whose stored
start has passed, so it costs one index probe when nothing has changed. Reading the catalogue
never writes; it reads the next session itself for the few rows not yet moved on.
Code that bulk-creates sessions (no signals) calls ``upcoming_refresh`` itself.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from events.models import Event, Session


def _refresh(events: QuerySet[Event], now: datetime) -> int:
    next_start = (
        Session.objects.filter(event=OuterRef("pk"), starts_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return events.update(upcoming_at=Subquery(next_start))


def upcoming_refresh(*, event_ids: Iterable[int] | None = None) -> int:
    """Recompute ``upcoming_at`` of these events (all events when ``None``)."""
    events = Event.objects.all() if event_ids is None else Event.objects.filter(pk__in=event_ids)
    return _refresh(events, timezone.now())


def upcoming_refresh_stale(*, now: datetime | None = None) -> int:
    """Move on the published events whose stored next session has started; returns how many.

    Published only, as the catalogue reads them: the partial index keeps this a short range
    scan, and an event published later is moved on by the first read after that.
    """
    now = now or timezone.now()
    stale = Event.objects.filter(status=Event.Status.PUBLISHED, upcoming_at__lt=now)
    return _refresh(stale, now)


def session_changed(sender: type[Session], instance: Session, **kwargs: object) -> None:
    """``post_save`` / ``post_delete`` of a session: its event's next start may have moved."""
    upcoming_refresh(event_ids=[instance.event_id])

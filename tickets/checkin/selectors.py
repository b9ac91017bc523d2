"""Reads of the door: which sessions the scanner page offers."""

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from events.models import Event, Session
from events.schedules.selectors import local_day_bounds


def scanner_default_day(*, event: Event, session: Session | None = None) -> date:
    """The day the scanner page opens on: the chosen session's, else the next local day with
    a session of the event (today counts), else the day of its last one (1 query at most)."""
    if session is not None and not session.is_open_dated:
        return timezone.localdate(session.starts_at)
    today = timezone.localdate()
    dated = Session.objects.filter(event=event, is_open_dated=False)
    start, _end = local_day_bounds(today)
    coming = dated.filter(starts_at__gte=start).order_by("starts_at").first()
    if coming is None:
        coming = dated.order_by("-starts_at").first()
    return timezone.localdate(coming.starts_at) if coming is not None else today


def scanner_sessions_of_day(*, event: Event, day: date) -> QuerySet[Session]:
    """The event's dated sessions starting on the local ``day``, in time order."""
    start, end = local_day_bounds(day)
    return Session.objects.filter(
        event=event, is_open_dated=False, starts_at__gte=start, starts_at__lt=end
    ).order_by("starts_at")


def scanner_counted_sessions(*, event: Event, day: date) -> QuerySet[Session]:
    """The sessions the scanner page counts: the day's, and the open-dated tickets' holder
    (its tickets pass at any door)."""
    start, end = local_day_bounds(day)
    return Session.objects.filter(event=event).filter(
        Q(is_open_dated=True) | Q(starts_at__gte=start, starts_at__lt=end)
    )


NEXT_SESSIONS = 6  # linked from the event choice; the scanner page types a day for the rest


def scanner_next_sessions() -> "Prefetch[Any]":
    """Each event's next few dated sessions (from today), as ``event.next_sessions``: one
    query for the page, never every slot of a service."""
    start, _end = local_day_bounds(timezone.localdate())
    upcoming = Session.objects.filter(is_open_dated=False, starts_at__gte=start).order_by(
        "starts_at", "pk"
    )
    return Prefetch("sessions", queryset=upcoming[:NEXT_SESSIONS], to_attr="next_sessions")

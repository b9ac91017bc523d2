"""Periodic work of the events app (thin: the services do the work)."""

from celery import shared_task

from events.schedules.services import schedules_materialise_all
from events.services import events_mark_finished
from events.upcoming import upcoming_refresh_stale


@shared_task(acks_late=True)
def events_mark_finished_task() -> int:
    """Published events whose sessions are all over become ``finished`` (safe to repeat)."""
    return events_mark_finished()


@shared_task(acks_late=True)
def events_upcoming_refresh_task() -> int:
    """Published events whose stored next start has passed move on to their next session."""
    return upcoming_refresh_stale()


@shared_task(acks_late=True)
def schedules_materialise_task() -> int:
    """Services' schedules make their slots up to the horizon (idempotent: safe to repeat)."""
    return schedules_materialise_all()

"""Periodic work of the events app (thin: the services do the work)."""

from celery import shared_task

from events.services import events_mark_finished


@shared_task(acks_late=True)
def events_mark_finished_task() -> int:
    """Published events whose sessions are all over become ``finished`` (safe to repeat)."""
    return events_mark_finished()

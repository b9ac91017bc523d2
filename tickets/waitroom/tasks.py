"""Periodic upkeep of the waiting rooms."""

from celery import shared_task

from tickets.waitroom.services import waitrooms_refresh


@shared_task(acks_late=True)
def waitrooms_refresh_task() -> int:
    """Re-mirror the rooms' settings and re-check sold out (holds may have come back)."""
    return waitrooms_refresh()

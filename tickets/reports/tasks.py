"""Celery tasks of the organizer's reports: large attendee exports and messages to buyers.

Thin and idempotent: they call services that re-read the state and skip work already done.
Imported by ``tickets.tasks`` so workers register them.
"""

from celery import shared_task

from tickets.reports.services.exports import (
    ATTENDEE_EXPORT_TASK,
    attendee_export_fail,
    attendee_export_run,
)
from tickets.reports.services.messages import (
    ATTENDEE_MESSAGE_TASK,
    message_deliver_batch,
    message_finish,
)

EXPORT_MAX_RETRIES = 3
MESSAGE_MAX_RETRIES = 5


@shared_task(name=ATTENDEE_EXPORT_TASK, bind=True, acks_late=True, max_retries=EXPORT_MAX_RETRIES)
def attendee_export_task(self, export_id: int) -> str:
    """Write a queued attendee export; retried with backoff, marked failed at the end."""
    try:
        export = attendee_export_run(export_id=export_id)
    except OSError as exc:
        if self.request.retries >= self.max_retries or self.request.is_eager:
            attendee_export_fail(export_id=export_id, error=f"{type(exc).__name__}: {exc}")
            return "failed"
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc
    return export.status if export is not None else "missing"


@shared_task(name=ATTENDEE_MESSAGE_TASK, bind=True, acks_late=True, max_retries=MESSAGE_MAX_RETRIES)
def attendee_message_send_task(self, message_id: int) -> dict:
    """Send a message's queued deliveries in batches; failures are retried with backoff.

    A delivery is claimed (queued → sending) before its letter goes out, so a retried or
    duplicated task never sends it twice; on the last attempt failures are recorded as failed.
    """
    attempt = self.request.retries
    while True:
        result = message_deliver_batch(message_id=message_id, final=attempt >= self.max_retries)
        if result.retry_later:
            if not self.request.is_eager:
                raise self.retry(countdown=min(600, 30 * 2**attempt))
            attempt += 1  # run in-process (no worker, embedded default): try again at once
            continue
        if not result.more:
            return message_finish(message_id=message_id)

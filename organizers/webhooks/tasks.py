"""Celery tasks of webhooks: thin, idempotent, they call the services."""

from celery import shared_task

from organizers.webhooks.services import (
    WEBHOOK_DELIVER_TASK,
    webhook_deliveries_prune,
    webhook_delivery_attempt,
    webhooks_retry_due,
)


@shared_task(name=WEBHOOK_DELIVER_TASK, acks_late=True, ignore_result=True)
def webhook_deliver_task(delivery_id: int, attempts_seen: int) -> None:
    """One attempt of a delivery; a failure is recorded and retried by the schedule, so the
    task itself never retries."""
    webhook_delivery_attempt(delivery_id=delivery_id, attempts_seen=attempts_seen)


@shared_task(acks_late=True, ignore_result=True)
def webhooks_retry_due_task() -> int:
    """Beat, every minute: enqueue the deliveries whose back-off is over, and forget finished
    ones past the log's keeping time."""
    sent = webhooks_retry_due()
    webhook_deliveries_prune()
    return sent

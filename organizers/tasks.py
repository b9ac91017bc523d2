"""Celery tasks of the organizers app (found by autodiscovery through this module)."""

from organizers.webhooks.tasks import webhook_deliver_task, webhooks_retry_due_task

__all__ = ["webhook_deliver_task", "webhooks_retry_due_task"]

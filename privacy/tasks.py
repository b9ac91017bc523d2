"""Celery tasks of the privacy app: thin, idempotent, calling services."""

from typing import Any

from celery import shared_task

from privacy.services.iplog import iplog_aggregate, iplog_flush, iplog_write
from privacy.services.reminders import privacy_reminders_send


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def iplog_write_task(rows: list[dict[str, Any]]) -> int:
    """Write one batch handed over by a web process's memory buffer."""
    return iplog_write(rows)


@shared_task(acks_late=True)
def iplog_flush_task() -> int:
    """Beat, every minute: move the buffered IP-log rows (Redis list) into the database."""
    return iplog_flush()


@shared_task(acks_late=True)
def iplog_aggregate_task() -> int:
    """Beat, nightly: fold raw IP-log rows past retention into daily counts; delete them."""
    return iplog_aggregate()


@shared_task(acks_late=True)
def privacy_reminders_task() -> int:
    """Beat, daily: e-mail staff about claims and requests due soon or overdue."""
    return privacy_reminders_send()

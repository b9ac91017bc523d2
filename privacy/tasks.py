"""Celery tasks of the privacy app: thin, idempotent, calling services."""

from typing import Any

from celery import shared_task

from privacy.services.chain_cut import consent_ledger_cut
from privacy.services.iplog import iplog_aggregate, iplog_flush, iplog_write
from privacy.services.register_cut import registers_cut
from privacy.services.reminders import privacy_reminders_send
from privacy.services.retention import consent_ips_shorten


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


@shared_task(acks_late=True)
def privacy_verify_task() -> int:
    """Beat, daily: verify the privacy trails' hash chains; e-mail staff if one is broken.

    Returns the number of broken chains."""
    # Imported when the task runs: the worker loads task modules before the apps' models.
    from privacy.services.ledger import ledger_verify_and_notify

    return len(ledger_verify_and_notify())


@shared_task(acks_late=True)
def privacy_retention_task() -> int:
    """Beat, nightly: consent-ledger IP addresses past their period become their network;
    rows whose term has ended are deleted: from the consent ledger (consents ended,
    withdrawals, cookie choices) and from the other registers (withdrawal letters, disclosures,
    blocking, access requests, claims, the destruction log).

    Returns the rows changed or deleted."""
    shortened = consent_ips_shorten()
    return shortened + consent_ledger_cut().rows + registers_cut().rows

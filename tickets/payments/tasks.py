"""Periodic settling of payments stuck in "created"; the work is in ``reconcile``."""

from celery import shared_task

from tickets.payments.reconcile import payments_reconcile


@shared_task(acks_late=True)
def payments_reconcile_task() -> int:
    """Ask each provider about payments pending too long and settle them (paid or failed)."""
    return payments_reconcile()

"""Periodic clean-up of the sales path; thin wrappers around services."""

from celery import shared_task

from tickets.services.inventory import reservations_release
from tickets.services.orders import orders_expire_overdue


@shared_task(acks_late=True)
def reservations_release_expired_task() -> int:
    """Return expired cart holds to sale (pages also do this before showing availability)."""
    return reservations_release(only_expired=True)


@shared_task(acks_late=True)
def orders_expire_overdue_task() -> int:
    """Expire unpaid orders whose payment time is over."""
    return orders_expire_overdue()

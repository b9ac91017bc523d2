"""The waiting list's periodic duty and its offer e-mails, from a worker."""

from smtplib import SMTPException

from celery import shared_task

from tickets.waitlist.services import (
    waitlist_offer_email_send,
    waitlist_offer_for_types,
    waitlist_tick,
)


@shared_task(acks_late=True)
def waitlist_tick_task() -> int:
    return waitlist_tick()


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def waitlist_offer_email_task(entry_id: int) -> bool:
    return waitlist_offer_email_send(entry_id=entry_id)


@shared_task(acks_late=True)
def waitlist_offer_for_types_task(ticket_type_ids: list[int]) -> int:
    """Offer what is free of these types now (capacity just added); idempotent: only free
    tickets are offered, once each."""
    return waitlist_offer_for_types(ticket_type_ids=ticket_type_ids)

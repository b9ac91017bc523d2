"""The new holder's e-mail, sent from a worker."""

from smtplib import SMTPException

from celery import shared_task

from tickets.transfers.services import ticket_transfer_email_send


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def ticket_transfer_email_task(transfer_id: int) -> bool:
    return ticket_transfer_email_send(transfer_id=transfer_id)

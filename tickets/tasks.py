"""Periodic clean-up of the sales path and ticket delivery; thin wrappers around services."""

from smtplib import SMTPException

from celery import shared_task

from tickets.delivery.services import (
    ORDER_PDF_TASK,
    TICKETS_EMAIL_TASK,
    email_delivery_fail,
    email_delivery_note_error,
    email_delivery_send,
    order_pdf_generate,
)
from tickets.retention.services import order_ips_shorten, orders_anonymise
from tickets.services.inventory import reservations_release
from tickets.services.order_lifecycle import orders_expire_overdue


@shared_task(acks_late=True)
def reservations_release_expired_task() -> int:
    """Return expired cart holds to sale. Pages only read, so this (every minute) and the
    next purchase of a ticket type, which releases that type's expired holds first, are what
    give expired holds back."""
    return reservations_release(only_expired=True)


@shared_task(acks_late=True)
def orders_expire_overdue_task() -> int:
    """Expire unpaid orders whose payment time is over."""
    return orders_expire_overdue()


EMAIL_MAX_RETRIES = 6


@shared_task(
    name=ORDER_PDF_TASK,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def order_pdf_task(order_id: int) -> bool:
    """Store the paid order's PDF tickets; nothing to do when the stored file is current."""
    return order_pdf_generate(order_id=order_id) is not None


@shared_task(name=TICKETS_EMAIL_TASK, bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def tickets_email_task(self, delivery_id: int) -> str:
    """Send one e-mail with the tickets; retried with backoff, recorded failed at the end."""
    attempt = self.request.retries
    while True:
        try:
            return email_delivery_send(delivery_id=delivery_id).status
        except (OSError, SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            if attempt >= self.max_retries:
                return email_delivery_fail(delivery_id=delivery_id, error=error).status
            email_delivery_note_error(delivery_id=delivery_id, error=error)
            if not self.request.is_eager:
                raise self.retry(exc=exc, countdown=min(600, 10 * 2**attempt)) from exc
            # Run in-process (no worker, embedded default): retry at once instead.
            attempt += 1


@shared_task(acks_late=True)
def tickets_retention_task() -> dict[str, int]:
    """Beat, nightly: the retention schedule for orders — IP addresses shortened, orders past
    the tax law's period made anonymous (each run written to the destruction trail)."""
    return {"order_ips": order_ips_shorten(), "orders": orders_anonymise()}


# Reports (exports, messages to buyers) keep their tasks in their own package; import them so
# workers register them (Celery discovers ``tickets.tasks`` only).
from tickets.banktransfer.tasks import bank_transfers_tick_task  # noqa: E402, F401
from tickets.companies.tasks import (  # noqa: E402, F401
    closing_act_issue_task,
    closing_acts_due_task,
    invoice_issue_task,
)
from tickets.payments.tasks import payments_reconcile_task  # noqa: E402, F401
from tickets.reports.tasks import (  # noqa: E402, F401
    attendee_export_task,
    attendee_message_send_task,
)
from tickets.transfers.tasks import ticket_transfer_email_task  # noqa: E402, F401
from tickets.waitlist.tasks import (  # noqa: E402, F401
    waitlist_offer_email_task,
    waitlist_offer_for_types_task,
    waitlist_tick_task,
)
from tickets.waitroom.tasks import waitrooms_refresh_task  # noqa: E402, F401
from tickets.wallet.tasks import wallet_push_task  # noqa: E402, F401

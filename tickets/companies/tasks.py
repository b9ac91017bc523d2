"""Celery tasks of company orders: thin, idempotent, they call the services."""

from smtplib import SMTPException

from celery import shared_task

from tickets.companies.acts import (
    ACT_TASK,
    closing_act_email,
    closing_act_issue,
    closing_acts_issue_due,
)
from tickets.companies.invoices import INVOICE_TASK, invoice_email, invoice_generate


@shared_task(
    name=INVOICE_TASK,
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def invoice_issue_task(order_id: int) -> bool:
    """Render and store the order's invoice, then e-mail it if this version was not sent."""
    invoice = invoice_generate(order_id=order_id)
    return invoice is not None and invoice_email(invoice_id=invoice.pk)


@shared_task(
    name=ACT_TASK,
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def closing_act_issue_task(order_id: int) -> bool:
    """Issue the order's act of services rendered (once), then e-mail it (once)."""
    act = closing_act_issue(order_id=order_id)
    return act is not None and closing_act_email(act_id=act.pk)


@shared_task(acks_late=True)
def closing_acts_due_task() -> int:
    """Beat, nightly: acts of paid company orders whose event is over."""
    return closing_acts_issue_due()

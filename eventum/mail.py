"""Outgoing e-mail goes through Celery so a slow mail server never slows a request.

The message is rendered in the request (in the reader's language) and handed to the task as
plain data through the outbox: recorded in the surrounding transaction, sent after it commits
(or later, by the relay, when the broker was down).
"""

from smtplib import SMTPException
from typing import Any

from celery import shared_task
from django.core.mail import EmailMultiAlternatives, get_connection

from eventum.outbox import outbox_enqueue


def email_to_data(message: EmailMultiAlternatives) -> dict[str, Any]:
    """A JSON-serialisable copy of a rendered message (attachments excluded)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def email_from_data(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data.get("cc"),
        bcc=data.get("bcc"),
        reply_to=data.get("reply_to"),
        headers=data.get("headers"),
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def email_enqueue(message: EmailMultiAlternatives) -> None:
    """Send ``message`` from a Celery worker once the current transaction has committed."""
    outbox_enqueue(send_email_task, email_to_data(message))


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email_task(data: dict[str, Any]) -> None:
    with get_connection() as connection:
        connection.send_messages([email_from_data(data)])

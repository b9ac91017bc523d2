"""Messages from the organizer to the buyers of an event or of one session.

* *service* messages (time change, cancellation) are about tickets the buyer holds: they go to
  every buyer with a valid ticket, blocked subjects included (transactional, like the tickets
  themselves);
* *promotional* ones go only to buyers with live marketing consent who are not restricted
  (blocked from the moment of their request, or consent withdrawn); the others get a delivery
  row marked skipped (the report shows why), and every letter carries privacy's one-click
  unsubscribe link and ``List-Unsubscribe`` headers. The question is asked when the message is
  queued and again for each letter right before it is sent: a block or an unsubscribe that
  arrives in between stops the letter.

A Celery task sends the queued deliveries in batches. Each delivery is claimed
(queued → sending) before its letter goes out, so no delivery is ever sent twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from events.models import Event, Session
from eventum.outbox import outbox_enqueue
from organizers.models import Organizer
from privacy.services import (
    Subject,
    marketing_allowed_emails,
    marketing_email_headers,
    marketing_unsubscribe_url,
    normalise_email,
    subjects_guard,
)
from tickets.models import AttendeeMessage, MessageDelivery, Order, OrderItem
from tickets.reports.service_days import items_of_day

BATCH_SIZE = 100
Kind = AttendeeMessage.Kind
DS = MessageDelivery.Status

# Registered by ``tickets.reports.tasks`` under the name it had before the reports package
# (messages already in the outbox keep working); services enqueue by name.
ATTENDEE_MESSAGE_TASK = "tickets.tasks_reports.attendee_message_send_task"


def message_recipients(
    *, event: Event, session: Session | None, day: date | None = None
) -> dict[str, str]:
    """E-mail (normalised) → language of the buyers with a valid ticket (of the session, or
    of a service's slots on ``day``)."""
    items = OrderItem.objects.filter(order=OuterRef("pk"), status=OrderItem.Status.VALID)
    if session is not None:
        items = items.filter(ticket_type__session=session)
    elif day is not None:
        items = items_of_day(items, event=event, day=day)
    rows = (
        Order.objects.filter(event=event, status=Order.Status.PAID)
        .filter(Exists(items))
        .order_by("-created_at", "-id")
        .values_list("email", "language")
    )
    recipients: dict[str, str] = {}
    for email, language in rows:
        recipients.setdefault(normalise_email(email), language or settings.LANGUAGE_CODE)
    return recipients


@transaction.atomic
def message_send(
    *,
    organizer: Organizer,
    event: Event,
    session: Session | None,
    kind: str,
    subject: str,
    body: str,
    user: User | None,
    day: date | None = None,
) -> AttendeeMessage:
    """Record the message with one delivery per buyer and queue the sending after commit."""
    message = AttendeeMessage.objects.create(
        organizer=organizer,
        event=event,
        session=session,
        day=day,
        kind=kind,
        subject=subject,
        body=body,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    recipients = message_recipients(event=event, session=session, day=day)
    promotional_status = _promotional_statuses(recipients) if kind == Kind.PROMOTIONAL else {}
    deliveries = [
        MessageDelivery(
            message=message,
            email=email,
            language=language,
            status=promotional_status.get(email, DS.QUEUED),
        )
        for email, language in recipients.items()
    ]
    MessageDelivery.objects.bulk_create(deliveries, batch_size=500)
    outbox_enqueue(ATTENDEE_MESSAGE_TASK, message.pk)  # survives a broker outage
    return message


def _promotional_statuses(emails: Iterable[str]) -> dict[str, str]:
    """For advertising: each e-mail's status now — queued, or skipped (restricted / no consent)."""
    emails = list(emails)
    guard = subjects_guard(Subject(email=email) for email in emails)
    allowed = marketing_allowed_emails(emails)
    statuses: dict[str, str] = {}
    for email in emails:
        if guard.is_restricted(email=email):
            statuses[email] = DS.SKIPPED_BLOCKED
        elif email not in allowed:
            statuses[email] = DS.SKIPPED_NO_CONSENT
        else:
            statuses[email] = DS.QUEUED
    return statuses


def _still_allowed(deliveries: list[MessageDelivery]) -> list[MessageDelivery]:
    """Ask privacy again right before sending advertising: skip those no longer allowed."""
    statuses = _promotional_statuses(d.email for d in deliveries)
    keep = []
    for delivery in deliveries:
        status = statuses[delivery.email]
        if status == DS.QUEUED:
            keep.append(delivery)
        else:
            MessageDelivery.objects.filter(pk=delivery.pk, status=DS.SENDING).update(status=status)
    return keep


def _letter(message: AttendeeMessage, delivery: MessageDelivery) -> EmailMessage:
    promotional = message.kind == Kind.PROMOTIONAL
    with translation.override(delivery.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            "tickets/email/attendee_message.txt",
            {
                "message": message,
                "promotional": promotional,
                "unsubscribe_url": marketing_unsubscribe_url(delivery.email) if promotional else "",
            },
        )
    return EmailMessage(
        subject=message.subject,
        body=text,
        to=[delivery.email],
        headers=marketing_email_headers(delivery.email) if promotional else None,
    )


@dataclass(frozen=True)
class BatchResult:
    sent: int
    failed: int
    retry_later: bool
    more: bool


def _claim(message_id: int, limit: int) -> list[int]:
    with transaction.atomic():
        ids = list(
            MessageDelivery.objects.select_for_update(skip_locked=True)
            .filter(message_id=message_id, status=DS.QUEUED)
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        MessageDelivery.objects.filter(pk__in=ids, status=DS.QUEUED).update(
            status=DS.SENDING, attempts=F("attempts") + 1
        )
    return ids


def message_deliver_batch(
    *, message_id: int, final: bool = False, batch_size: int | None = None
) -> BatchResult:
    """Send up to ``batch_size`` queued deliveries of the message.

    A letter the mail server refused goes back to the queue (``retry_later``), or is recorded
    as failed when ``final``. Deliveries already sent or being sent are never touched.
    """
    message = AttendeeMessage.objects.select_related("event", "session").get(pk=message_id)
    AttendeeMessage.objects.filter(pk=message_id, status=AttendeeMessage.Status.QUEUED).update(
        status=AttendeeMessage.Status.SENDING
    )
    ids = _claim(message_id, batch_size or BATCH_SIZE)
    sent = failed = 0
    retry_later = False
    connection = get_connection()
    deliveries = list(MessageDelivery.objects.filter(pk__in=ids, status=DS.SENDING).order_by("id"))
    if message.kind == Kind.PROMOTIONAL:
        deliveries = _still_allowed(deliveries)
    for delivery in deliveries:
        try:
            connection.send_messages([_letter(message, delivery)])
        except (OSError, SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
            if final:
                MessageDelivery.objects.filter(pk=delivery.pk).update(status=DS.FAILED, error=error)
                failed += 1
            else:
                MessageDelivery.objects.filter(pk=delivery.pk).update(status=DS.QUEUED, error=error)
                retry_later = True
            continue
        MessageDelivery.objects.filter(pk=delivery.pk, status=DS.SENDING).update(
            status=DS.SENT, sent_at=timezone.now(), error=""
        )
        sent += 1
    more = (
        not retry_later
        and MessageDelivery.objects.filter(message_id=message_id, status=DS.QUEUED).exists()
    )
    return BatchResult(sent=sent, failed=failed, retry_later=retry_later, more=more)


def delivery_counts(*, message_id: int) -> dict[str, int]:
    """Deliveries of the message per status (every status present, zero when none)."""
    counts = dict(
        MessageDelivery.objects.filter(message_id=message_id)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
        .order_by()
    )
    return {status: counts.get(status, 0) for status in DS.values}


@transaction.atomic
def message_finish(*, message_id: int) -> dict[str, int]:
    """Mark the message sent once nothing is queued any more; return the delivery counts."""
    if not MessageDelivery.objects.filter(message_id=message_id, status=DS.QUEUED).exists():
        AttendeeMessage.objects.filter(pk=message_id).exclude(
            status=AttendeeMessage.Status.DONE
        ).update(status=AttendeeMessage.Status.DONE, finished_at=timezone.now())
    return delivery_counts(message_id=message_id)


def messages_of_event(*, event: Event) -> QuerySet[AttendeeMessage]:
    """The event's messages, newest first, with delivery counts (one query)."""
    return (
        AttendeeMessage.objects.filter(event=event)
        .select_related("session", "created_by")
        .annotate(
            recipients=Count("deliveries"),
            sent=Count("deliveries", filter=Q(deliveries__status=DS.SENT)),
            skipped=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[DS.SKIPPED_NO_CONSENT, DS.SKIPPED_BLOCKED]),
            ),
            failed=Count("deliveries", filter=Q(deliveries__status=DS.FAILED)),
        )
        .order_by("-created_at", "-id")
    )

"""Getting the tickets to the buyer: the order's PDF in private storage and the e-mail with it.

Paying an order queues both through the outbox (``tickets_deliver_after_paid``): recorded in
the paying transaction, so a broker outage at that moment loses neither. The PDF is made
once per set of printed tickets (``TicketPdf.fingerprint``): running the task again, or a
second worker racing the first, finds the file and does nothing. Each e-mail is an
``EmailDelivery`` row that the task moves from queued to sent or, after its retries, failed.
"""

import hashlib
import logging
from datetime import timedelta
from typing import Any

from celery import Task
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.seating.layouts import seat_label_shown
from eventum.outbox import outbox_enqueue, outbox_enqueue_many
from eventum.rows import instances_insert
from tickets.delivery.emails import email_tickets_message
from tickets.delivery.pdf import TicketPrint, render_tickets_pdf
from tickets.errors import TicketsError
from tickets.models import EmailDelivery, Order, OrderItem, TicketPdf
from tickets.order_status import Reader, ticket_status
from tickets.qr import qr_payload

logger = logging.getLogger(__name__)

# Registered by ``tickets.tasks``; services enqueue by name and never import the tasks.
ORDER_PDF_TASK = "tickets.tasks.order_pdf_task"
TICKETS_EMAIL_TASK = "tickets.tasks.tickets_email_task"


def _language(order: Order) -> str:
    languages = dict(settings.LANGUAGES)
    return order.language if order.language in languages else settings.LANGUAGE_CODE


def _printable_items(order: Order) -> list[OrderItem]:
    return list(
        order.items.filter(status=OrderItem.Status.VALID)
        .select_related("ticket_type__session")
        .order_by("id")
    )


def ticket_prints(
    order: Order, items: list[OrderItem], *, holder_name: str | None = None
) -> list[TicketPrint]:
    """What is printed on each of ``items`` of ``order``, in the buyer's language.

    ``holder_name`` replaces the buyer's name (a copy for the organizer of a restricted buyer
    prints it masked); a ticket given to someone else prints its holder's name."""
    event = order.event
    venue = event.venue
    organizer = event.organizer
    logo = None
    if organizer.logo:
        try:
            logo = organizer.logo.path
        except (NotImplementedError, ValueError):
            logo = None
    with translation.override(_language(order)):
        return [
            TicketPrint(
                event_title=str(event.title),
                session_starts_at=item.ticket_type.session.starts_at,
                doors_open_at=item.ticket_type.session.doors_open_at,
                venue_name=venue.name,
                venue_address=venue.address,
                city=str(venue.city.name),
                ticket_type_name=str(item.ticket_type.name),
                price=item.amount,
                order_code=order.code,
                buyer_name=(
                    holder_name if holder_name is not None else item.holder_name or order.full_name
                ),
                secret=qr_payload(item),
                organizer_name=organizer.public_name,
                ticket_number=f"{order.code}-{item.pk}",
                organizer_logo_path=logo,
                seat_label=seat_label_shown(item.seat_label),
                status_label=str(ticket_status(item, order, Reader.TICKET)),
                valid_from=item.valid_from,
                valid_until=item.valid_until,
            )
            for item in items
        ]


def _order_for_print(order_id: int) -> Order:
    return Order.objects.select_related("event__venue__city", "event__organizer").get(pk=order_id)


def _fingerprint(items: list[OrderItem]) -> str:
    """What the PDF prints that can change: the tickets, their secrets and their sessions' time."""
    printed = ";".join(
        f"{item.pk}:{item.secret}:{item.ticket_type.session.starts_at.isoformat()}"
        for item in items
    )
    return hashlib.sha256(printed.encode()).hexdigest()


def order_pdf_current(order: Order) -> TicketPdf | None:
    """The stored PDF if it still prints exactly the order's valid tickets, else ``None``."""
    stored = TicketPdf.objects.filter(order=order).first()
    if stored is None or stored.fingerprint != _fingerprint(_printable_items(order)):
        return None
    return stored


def render_order_pdf(
    order: Order,
    *,
    layout: str = "a4",
    item_id: int | None = None,
    holder_name: str | None = None,
) -> bytes:
    """Render the order's valid tickets (or one of them) on the spot: phone layout, one ticket,
    or a copy for someone other than the buyer (``holder_name`` as they may see it)."""
    items = _printable_items(order)
    if item_id is not None:
        items = [item for item in items if item.pk == item_id]
    if not items:
        raise OrderItem.DoesNotExist()
    prints = ticket_prints(order, items, holder_name=holder_name)
    return render_tickets_pdf(prints, layout=layout, language=_language(order))


def order_pdf_generate(*, order_id: int) -> TicketPdf | None:
    """Store the paid order's PDF (a page a ticket) unless the stored one is still right.

    Idempotent: the order row is locked while rendering, so a twin task waits and then finds
    the file. Returns ``None`` for an order that is not paid or has no valid ticket.
    """
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("event__venue__city", "event__organizer")
            .get(pk=order_id)
        )
        items = _printable_items(order)
        if order.status != Order.Status.PAID or not items:
            return None
        fingerprint = _fingerprint(items)
        stored = TicketPdf.objects.filter(order=order).first()
        stored_name = stored.file.name if stored is not None else None
        if (
            stored is not None
            and stored.fingerprint == fingerprint
            and stored_name
            and stored.file.storage.exists(stored_name)
        ):
            return stored
        pdf = render_tickets_pdf(
            ticket_prints(order, items), layout="a4", language=_language(order)
        )
        old_name = stored.file.name if stored is not None else ""
        if stored is None:
            stored = TicketPdf(order=order)
        stored.fingerprint = fingerprint
        stored.size = len(pdf)
        stored.file.save(f"{order.code}-{fingerprint[:12]}.pdf", ContentFile(pdf), save=False)
        stored.save()
        if old_name and old_name != stored.file.name:
            storage = stored.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return stored


def order_pdf_forget(*, order_id: int) -> None:
    """Drop the stored PDF (its file after commit): the tickets printed on it changed."""
    stored = TicketPdf.objects.filter(order_id=order_id).first()
    if stored is None:
        return
    storage, name = stored.file.storage, stored.file.name
    stored.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def order_pdf_enqueue(*, order_id: int) -> None:
    """Make the order's PDF in a worker once the current transaction commits."""
    outbox_enqueue(ORDER_PDF_TASK, order_id)


def _email_delivery_new(
    *,
    order: Order,
    kind: str,
    requested_by: User | None = None,
    requested_label: str = "system",
) -> EmailDelivery:
    return instances_insert(
        [
            EmailDelivery(
                order=order,
                kind=kind,
                to=order.email,
                language=_language(order),
                requested_by=(
                    requested_by
                    if requested_by is not None and requested_by.is_authenticated
                    else None
                ),
                requested_label=requested_label[:30],
            )
        ]
    )[0]


def tickets_email_queue(
    *,
    order: Order,
    kind: str = EmailDelivery.Kind.CONFIRMATION,
    requested_by: User | None = None,
    requested_label: str = "system",
) -> EmailDelivery:
    """Record an e-mail with the tickets to the buyer and send it after commit."""
    delivery = _email_delivery_new(
        order=order, kind=kind, requested_by=requested_by, requested_label=requested_label
    )
    outbox_enqueue(TICKETS_EMAIL_TASK, delivery.pk)
    return delivery


def tickets_email_queue_session_moved(*, session_id: int) -> int:
    """Each paid order with valid tickets to the session gets its tickets again, printed with
    the new time, and the updated calendar entry (after commit). Returns how many orders."""
    orders = Order.objects.filter(
        status=Order.Status.PAID,
        items__status=OrderItem.Status.VALID,
        items__ticket_type__session_id=session_id,
    ).distinct()
    tasks: list[tuple[Task[Any, Any] | str, tuple[Any, ...], dict[str, Any]]] = []
    for order in orders:
        delivery = _email_delivery_new(order=order, kind=EmailDelivery.Kind.SESSION_MOVED)
        tasks.append((TICKETS_EMAIL_TASK, (delivery.pk,), {}))
    outbox_enqueue_many(tasks)
    return len(tasks)


def tickets_email_queue_order_moved(*, order: Order) -> None:
    """One order's tickets moved to another time slot: the buyer gets them again, printed with
    the new time, and the updated calendar entry (after commit)."""
    delivery = _email_delivery_new(order=order, kind=EmailDelivery.Kind.SESSION_MOVED)
    outbox_enqueue_many(
        [(ORDER_PDF_TASK, (order.pk,), {}), (TICKETS_EMAIL_TASK, (delivery.pk,), {})]
    )


def tickets_deliver_after_paid(order: Order) -> None:
    """The order is paid: make its PDF and e-mail the confirmation with it (after commit).

    Both tasks are published together (every paid order of an on-sale rush passes here).
    """
    delivery = _email_delivery_new(order=order, kind=EmailDelivery.Kind.CONFIRMATION)
    outbox_enqueue_many(
        [(ORDER_PDF_TASK, (order.pk,), {}), (TICKETS_EMAIL_TASK, (delivery.pk,), {})]
    )


def email_delivery_send(*, delivery_id: int) -> EmailDelivery:
    """Send one queued e-mail with the order's PDF attached; a sent one is not sent again.

    Mail-server errors propagate (the task retries); the attempt is counted first.
    """
    delivery = EmailDelivery.objects.select_related("order").get(pk=delivery_id)
    if delivery.status != EmailDelivery.Status.QUEUED:
        return delivery
    EmailDelivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    order = _order_for_print(delivery.order_id)
    if order.status != Order.Status.PAID:
        return email_delivery_fail(delivery_id=delivery.pk, error="the order is no longer paid")
    stored = order_pdf_generate(order_id=order.pk)
    pdf = None
    if stored is not None:
        with stored.file.open("rb") as handle:
            pdf = handle.read()
    message = email_tickets_message(order, to=delivery.to, pdf=pdf, kind=delivery.kind)
    with get_connection() as connection:
        connection.send_messages([message])
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=EmailDelivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    delivery.refresh_from_db()
    return delivery


def email_delivery_note_error(*, delivery_id: int, error: str) -> None:
    """Remember the last mail-server error of an e-mail that will be retried."""
    EmailDelivery.objects.filter(pk=delivery_id).update(last_error=error[:500])


def email_delivery_fail(*, delivery_id: int, error: str) -> EmailDelivery:
    """The e-mail could not be sent (its retries are used up): record it as failed."""
    EmailDelivery.objects.filter(pk=delivery_id, status=EmailDelivery.Status.QUEUED).update(
        status=EmailDelivery.Status.FAILED, last_error=error[:500]
    )
    logger.warning("Tickets e-mail %s failed: %s", delivery_id, error)
    return EmailDelivery.objects.get(pk=delivery_id)


RESEND_PAUSE_SECONDS = 60


def tickets_email_resend(
    *, order: Order, requested_by: User | None, requested_label: str
) -> EmailDelivery:
    """Send the tickets again (buyer or organizer). Raises ``TicketsError`` when not possible."""
    if order.status != Order.Status.PAID:
        raise TicketsError(_("Only a paid order's tickets can be sent."))
    recent = EmailDelivery.objects.filter(
        order=order,
        created_at__gte=timezone.now() - timedelta(seconds=RESEND_PAUSE_SECONDS),
    ).exists()
    if recent:
        raise TicketsError(_("The tickets were sent less than a minute ago. Please wait a little."))
    with transaction.atomic():
        return tickets_email_queue(
            order=order,
            kind=EmailDelivery.Kind.RESEND,
            requested_by=requested_by,
            requested_label=requested_label,
        )

"""Writes of transfers: the organizer's rules and the buyer giving a ticket away.

A transfer issues the ticket a new QR secret in the same transaction (the old code answers
"unknown" at the door from the commit on), records the new holder's consent and the hand-over
of their data, and e-mails them the ticket from a worker (through the outbox).
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event
from eventum.outbox import outbox_enqueue
from privacy.services import consent_record, disclosure_record, subject_is_blocked
from tickets.buyer_privacy import organizer_recipient
from tickets.delivery.services import order_pdf_enqueue, render_order_pdf
from tickets.errors import TicketsError
from tickets.models import Order, OrderItem, OrderLog
from tickets.models.orders import ticket_secret_new
from tickets.transfers.emails import transfer_email_message
from tickets.transfers.models import TicketTransfer, TransferRules
from tickets.transfers.rules import TransferTerms
from tickets.wallet import apple
from tickets.wallet.credentials import apple_signer
from tickets.wallet.services import wallet_passes_changed

TRANSFER_EMAIL_TASK = "tickets.transfers.tasks.ticket_transfer_email_task"


class TransferNotAllowed(TicketsError):
    default_message = _("This ticket cannot be given to someone else.")


class TransferHolderBlocked(TicketsError):
    default_message = _(
        "The personal data of this person is blocked at their request, so the ticket cannot be "
        "issued to them."
    )


@transaction.atomic
def transfer_rules_save(*, event: Event, **fields: Any) -> TransferRules:
    """Set the event's transfer rules."""
    rules, _created = TransferRules.objects.update_or_create(event=event, defaults=fields)
    return rules


@transaction.atomic
def ticket_transfer(
    *,
    order_id: int,
    item_id: int,
    to_name: str,
    to_email: str,
    consent_wording: str,
    user: User | None = None,
    ip_address: str | None = None,
) -> TicketTransfer:
    """The buyer gives one valid ticket to ``to_name`` (``to_email``) under the event's rules.

    Raises ``TransferNotAllowed`` (quoting the rule) or ``TransferHolderBlocked``.
    """
    order = Order.objects.select_for_update(of=("self",)).select_related("event").get(pk=order_id)
    item = (
        OrderItem.objects.select_for_update(of=("self",))
        .select_related("ticket_type__session")
        .filter(order=order, pk=item_id)
        .first()
    )
    if item is None:
        raise TransferNotAllowed()
    terms = TransferTerms.of(TransferRules.objects.filter(event_id=order.event_id).first())
    refusal = terms.refusal(item, order=order, done=item.transfers.count())
    if refusal:
        raise TransferNotAllowed(refusal)
    to_email = to_email.strip().lower()
    if subject_is_blocked(email=to_email):
        raise TransferHolderBlocked()
    transfer = TicketTransfer.objects.create(
        item=item,
        from_name=item.holder_name or order.full_name,
        from_email=item.holder_email or order.email,
        to_name=to_name.strip()[:201],
        to_email=to_email,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        by_user=user if user is not None and user.is_authenticated else None,
    )
    item.holder_name, item.holder_email = transfer.to_name, to_email
    item.secret, item.secret_issued_at = ticket_secret_new(), timezone.now()
    item.save(update_fields=["holder_name", "holder_email", "secret", "secret_issued_at"])
    OrderLog.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        actor=transfer.by_user,
        actor_label="buyer",
        note=f"ticket {order.code}-{item.pk} given to someone else; new QR code"[:300],
    )
    source = f"transfer:{order.code}-{item.pk}"
    consent_record(
        purpose="processing_and_transfer",
        action="given",
        wording=consent_wording,
        channel="site",
        email=to_email,
        ip_address=ip_address,
        source=source,
        recorded_by=user,
    )
    disclosure_record(
        actor=user if user is not None and user.is_authenticated else "buyer",
        recipient=organizer_recipient(order.event.organizer),
        subjects=[to_email],
        fields=["name", "email"],
        purpose=f"Ticket holder after a transfer ({source})",
        channel="other",
    )
    order_pdf_enqueue(order_id=order.pk)  # the buyer's PDF prints the new code and holder
    wallet_passes_changed(item_ids=[item.pk])  # the giver's phone: a void pass
    outbox_enqueue(TRANSFER_EMAIL_TASK, transfer.pk)
    return transfer


def ticket_transfer_email_send(*, transfer_id: int) -> bool:
    """E-mail the new holder their ticket (once); ``False`` when there is nothing to send: it
    was sent, or the ticket was given on again or is no longer valid."""
    transfer = TicketTransfer.objects.select_related(
        "item__order__event__venue__city", "item__order__event__organizer"
    ).get(pk=transfer_id)
    item = transfer.item
    if (
        transfer.emailed_at is not None
        or item.status != OrderItem.Status.VALID
        or item.holder_email != transfer.to_email
    ):
        return False
    pdf = render_order_pdf(item.order, item_id=item.pk, holder_name=transfer.to_name)
    signer = apple_signer()
    # The wallet pass carries the new QR code; the buyer's old pass shows the dead one, which
    # the door answers "unknown" (a pass downloaded again replaces it: same serial number).
    pkpass = apple.pkpass(item.order, item, signer) if signer is not None else None
    with get_connection() as connection:
        connection.send_messages([transfer_email_message(transfer, pdf=pdf, pkpass=pkpass)])
    TicketTransfer.objects.filter(pk=transfer.pk).update(emailed_at=timezone.now())
    return True

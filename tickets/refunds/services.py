"""Writes of refunds: the organizer's rules, the sessions' moves, the buyer's self-service
refund and the organizer's decision on a request.

The money itself always goes through ``tickets.services.order_refunds.order_refund`` (the
provider's refund, the tickets back on sale, their QR codes dead at once), so a self-service
refund and an organizer's refund leave the same trail.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from events.models import Event, Session
from tickets.banktransfer.selectors import order_paid_by_transfer
from tickets.models import OrderItem, Refund
from tickets.refunds.emails import email_buyer_refund, email_organizer_refund
from tickets.refunds.errors import (
    RefundNotAllowed,
    RefundQuoteChanged,
    RefundRequestDecided,
    RefundRequestWaiting,
)
from tickets.refunds.models import RefundPolicy, RefundRequest, SessionMove
from tickets.refunds.selectors import order_refund_quote, refund_request_pending
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor, order_lock

BUYER_REFUND_REASON = "returned by the buyer under the event's refund rules"


@transaction.atomic
def refund_policy_save(*, event: Event, **fields: Any) -> RefundPolicy:
    """Set the event's refund rules (creating its row the first time)."""
    policy, _created = RefundPolicy.objects.update_or_create(event=event, defaults=fields)
    return policy


def session_move_record(*, session: Session, old_starts_at: datetime) -> SessionMove:
    """Remember that the session was moved (inside the moving transaction): its ticket holders
    may return their tickets in full for the days the rules give."""
    return SessionMove.objects.create(
        session=session, old_starts_at=old_starts_at, new_starts_at=session.starts_at
    )


def _user(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def order_refund_by_buyer(
    *,
    order_id: int,
    item_ids: list[int] | None,
    expected: str,
    user: User | None = None,
    now: datetime | None = None,
) -> RefundRequest | Refund:
    """The buyer returns the order's valid tickets (or the chosen ones) under the event's rules.

    The amount is worked out again on the locked order and must be the one the buyer confirmed
    (``expected``, the quote's fingerprint). The refund goes through the provider at once, or,
    when the organizer approves refunds, becomes a request in the organizer's queue (a moved
    session's full refund never waits). Raises ``RefundNotAllowed`` quoting the rule,
    ``RefundQuoteChanged``, ``RefundRequestWaiting`` or what ``order_refund`` raises.
    """
    order = order_lock(order_id)
    if refund_request_pending(order=order) is not None:
        raise RefundRequestWaiting()
    quote = order_refund_quote(order=order, item_ids=item_ids, now=now)
    if not quote.tickets:
        raise RefundNotAllowed()
    if quote.refused:
        raise RefundNotAllowed(quote.refused[0].refused)
    if quote.fingerprint != expected:
        raise RefundQuoteChanged()
    items = [t.item for t in quote.allowed]
    # Money paid by bank transfer goes back by the organizer's own transfer: always a request.
    waits = quote.rules.needs_approval and not quote.full_after_move
    if waits or order_paid_by_transfer(order):
        request = RefundRequest.objects.create(order=order, amount=quote.amount, fee=quote.fee)
        request.items.set(items)
        email_buyer_refund(
            order, items=items, amount=quote.amount, fee=quote.fee, outcome="waiting"
        )
        email_organizer_refund(order, items=items, amount=quote.amount, fee=quote.fee, waiting=True)
        return request
    order_refund(
        order_id=order.pk,
        actor=Actor(user=user, label="buyer"),
        item_ids=[item.pk for item in items],
        reason=BUYER_REFUND_REASON,
        kept=quote.fee,
    )
    refund = order.refunds.order_by("-created_at", "-id").first()
    assert refund is not None  # order_refund made it in this transaction
    email_buyer_refund(order, items=items, amount=quote.amount, fee=quote.fee, outcome="refunded")
    email_organizer_refund(order, items=items, amount=quote.amount, fee=quote.fee, waiting=False)
    return refund


def _request_lock(request_id: int) -> RefundRequest:
    request = (
        RefundRequest.objects.select_for_update(of=("self",))
        .select_related("order__event__organizer")
        .get(pk=request_id)
    )
    if request.status != RefundRequest.Status.PENDING:
        raise RefundRequestDecided()
    return request


@transaction.atomic
def refund_request_approve(*, request_id: int, user: User) -> RefundRequest:
    """The organizer approves: the request's tickets are refunded through the provider, less
    the fee the rules keep, and the buyer is told. A ticket used or refunded meanwhile stops
    it (``RefundNotAllowed``): the organizer refuses it instead. A bank-transfer order's
    request is settled by recording the return transfer (``ReturnByTransferOnly``)."""
    request = _request_lock(request_id)
    order = request.order
    items = list(request.items.order_by("id"))
    still_valid = [i for i in items if i.status == OrderItem.Status.VALID and not i.checked_in_at]
    if len(still_valid) != len(items):
        raise RefundNotAllowed()
    order_refund(
        order_id=order.pk,
        actor=Actor(user=user, label="organizer"),
        item_ids=[item.pk for item in items],
        reason=BUYER_REFUND_REASON,
        kept=request.fee,
    )
    request.refund = order.refunds.order_by("-created_at", "-id").first()
    request.status = RefundRequest.Status.APPROVED
    request.decided_by = _user(user)
    request.decided_at = timezone.now()
    request.save(update_fields=["refund", "status", "decided_by", "decided_at"])
    email_buyer_refund(
        order, items=items, amount=request.amount, fee=request.fee, outcome="refunded"
    )
    return request


@transaction.atomic
def refund_request_refuse(*, request_id: int, user: User, note: str = "") -> RefundRequest:
    """The organizer refuses: the tickets stay valid and the buyer reads why."""
    request = _request_lock(request_id)
    request.status = RefundRequest.Status.REFUSED
    request.note = note.replace("\x00", "").strip()[:300]
    request.decided_by = _user(user)
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "note", "decided_by", "decided_at"])
    items = list(request.items.order_by("id"))
    email_buyer_refund(
        request.order,
        items=items,
        amount=request.amount,
        fee=request.fee,
        outcome="refused",
        note=request.note,
    )
    return request

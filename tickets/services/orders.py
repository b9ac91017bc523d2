"""Orders: created from a cart at checkout, then moved through their states.

pending → paid → refunded (or cancelled when nothing was paid), pending → cancelled,
pending → expired. Every move is one service call in one transaction, on a locked order row,
and leaves an ``OrderLog`` entry (who, when, from → to).
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from privacy.services import consent_record, policy_current, subject_is_blocked
from tickets.errors import (
    BuyerDataBlocked,
    CartEmpty,
    InvalidTransition,
    NotOnSale,
    PromoCodeInvalid,
    PromoCodeUsedUp,
    RefundError,
    ReservationExpired,
    SoldOut,
)
from tickets.models import (
    Answer,
    Cart,
    Order,
    OrderItem,
    OrderLog,
    PromoCode,
    Question,
    Reservation,
)
from tickets.pricing import promo_find, quote
from tickets.selectors import order_for_idempotency_key
from tickets.services.inventory import inventory_return, inventory_take, reservations_release

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8

S = Order.Status
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.CANCELLED, S.EXPIRED},
    S.PAID: {S.REFUNDED, S.CANCELLED},
    S.EXPIRED: {S.PAID},  # a late payment for tickets that could be taken again
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}


@dataclass
class BuyerDetails:
    surname: str
    name: str
    phone: str
    email: str
    postal_address: str = ""


@dataclass
class AnswerInput:
    question: Question
    value: str = ""
    file: UploadedFile | None = None
    file_content_type: str = ""


@dataclass
class ConsentInput:
    processing_wording: str
    marketing: bool = False
    marketing_wording: str = ""
    ip_address: str | None = None
    user_agent: str = ""


@dataclass
class Actor:
    """Who does something to an order: a user, or a label such as ``system``."""

    user: AbstractBaseUser | None = None
    label: str = "system"
    extra: dict = field(default_factory=dict)


def order_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def _transition(order: Order, to: str, *, actor: Actor, note: str = "") -> None:
    """Move a locked order to ``to`` and log it; raises ``InvalidTransition``."""
    if to not in TRANSITIONS[order.status]:
        raise InvalidTransition()
    previous = order.status
    order.status = to
    update = ["status", "updated_at"]
    if to == S.PAID:
        order.paid_at = timezone.now()
        update.append("paid_at")
    order.save(update_fields=update)
    OrderLog.objects.create(
        order=order,
        from_status=previous,
        to_status=to,
        actor=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        actor_label=actor.label,
        note=note[:300],
    )


def _lock(order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("event").get(pk=order_id)


def _promo_consume(promo: PromoCode) -> None:
    used = PromoCode.objects.filter(
        Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")), pk=promo.pk
    ).update(times_used=F("times_used") + 1)
    if used != 1:
        raise PromoCodeUsedUp()


def _promo_give_back(order: Order) -> None:
    if order.promo_code_id:
        PromoCode.objects.filter(pk=order.promo_code_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )


def _return_tickets(items) -> None:
    from tickets.services.seats import seats_release_for_items

    items = list(items)
    seats_release_for_items(item_ids=[item.pk for item in items])
    per_type: dict[int, int] = {}
    for item in items:
        per_type[item.ticket_type_id] = per_type.get(item.ticket_type_id, 0) + 1
    for ticket_type_id in sorted(per_type):
        inventory_return(ticket_type_id=ticket_type_id, quantity=per_type[ticket_type_id])


def _save_new_order(order: Order) -> None:
    for _attempt in range(6):
        order.code = order_code_new()
        try:
            with transaction.atomic():
                order.save()
            return
        except IntegrityError:
            if Order.objects.filter(idempotency_key=order.idempotency_key).exists():
                raise
    raise IntegrityError("Could not find a free order code.")


def _save_answers(order: Order, answers: list[AnswerInput]) -> None:
    for answer in answers:
        row = Answer(order=order, question=answer.question, value=answer.value)
        if answer.file is not None:
            row.file_name = answer.file.name[:200]
            row.file_size = answer.file.size
            row.file_content_type = answer.file_content_type
            row.file.save(answer.file.name, answer.file, save=False)
        row.save()


def _record_consents(order: Order, consent: ConsentInput, user) -> None:
    common = {
        "action": "given",
        "channel": "site",
        "user": user if user is not None and user.is_authenticated else None,
        "email": order.email,
        "phone": order.phone,
        "policy_version": policy_current(),
        "ip_address": consent.ip_address,
        "user_agent": consent.user_agent,
        "source": f"order:{order.code}",
    }
    consent_record(purpose="processing_and_transfer", wording=consent.processing_wording, **common)
    # A blocked subject never gets here: ``order_create`` refuses them before any write.
    if consent.marketing:
        consent_record(purpose="marketing", wording=consent.marketing_wording, **common)
    elif order.marketing_consent:
        order.marketing_consent = False
        order.save(update_fields=["marketing_consent", "updated_at"])


def order_create(
    *,
    cart_token: str,
    idempotency_key: str,
    buyer: BuyerDetails,
    consent: ConsentInput,
    answers: list[AnswerInput] | None = None,
    user: AbstractBaseUser | None = None,
    language: str = "ru",
) -> Order:
    """Turn the cart's live holds into a pending order (paid at once when it is free).

    Submitting the same ``idempotency_key`` again returns the first order. Raises
    ``CartEmpty``, ``ReservationExpired``, ``NotOnSale``, ``PromoCodeUsedUp`` or
    ``BuyerDataBlocked`` (the e-mail, phone or account is blocked: privacy refuses further
    processing); then no order is written. Expired holds are returned to sale first in their
    own transaction, so a checkout refused because its hold expired still gives the tickets
    back at once.
    """
    if subject_is_blocked(email=buyer.email, phone=buyer.phone, user=user):
        raise BuyerDataBlocked()
    for cart_id in Cart.objects.filter(token=cart_token).values_list("pk", flat=True):
        reservations_release(cart_id=cart_id, only_expired=True)
    return _order_create(
        cart_token=cart_token,
        idempotency_key=idempotency_key,
        buyer=buyer,
        consent=consent,
        answers=answers,
        user=user,
        language=language,
    )


@transaction.atomic
def _order_create(
    *,
    cart_token: str,
    idempotency_key: str,
    buyer: BuyerDetails,
    consent: ConsentInput,
    answers: list[AnswerInput] | None = None,
    user: AbstractBaseUser | None = None,
    language: str = "ru",
) -> Order:
    """``order_create`` in one transaction, under the cart's row lock."""
    existing = order_for_idempotency_key(idempotency_key)
    if existing is not None:
        return existing
    cart = (
        Cart.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(token=cart_token)
        .first()
    )
    if cart is None or cart.event is None:
        raise CartEmpty()
    existing = order_for_idempotency_key(idempotency_key)
    if existing is not None:  # the twin request got the cart lock first
        return existing
    now = timezone.now()
    reservations_release(cart_id=cart.pk, only_expired=True, now=now)
    live = list(
        Reservation.objects.select_for_update(of=("self",))
        .filter(cart=cart, released_at__isnull=True, order__isnull=True)
        .select_related("ticket_type__session__event")
        .order_by("ticket_type_id")
    )
    if not live:
        expired = Reservation.objects.filter(
            cart=cart, order__isnull=True, released_at__gte=F("expires_at")
        )
        if expired.exists():
            raise ReservationExpired()
        raise CartEmpty()
    for hold in live:
        session = hold.ticket_type.session
        if session.event.status != Event.Status.PUBLISHED or session.starts_at <= now:
            raise NotOnSale()
    items = [(r.ticket_type, r.quantity) for r in live]
    promo = None
    if cart.promo_code_id:
        try:
            promo = promo_find(code=cart.promo_code.code, event=cart.event, check_usage=False)
        except PromoCodeInvalid:
            promo = None
    priced = quote(items=items, promo_code=promo)
    if promo is not None and priced.discount == 0:
        promo = None
    if promo is not None:
        _promo_consume(promo)
    order = Order(
        secret=secrets.token_urlsafe(24),
        idempotency_key=idempotency_key,
        event=cart.event,
        user=user if user is not None and user.is_authenticated else None,
        surname=buyer.surname,
        name=buyer.name,
        phone=buyer.phone,
        email=buyer.email.strip().lower(),
        postal_address=buyer.postal_address,
        language=language,
        subtotal=priced.subtotal,
        discount=priced.discount,
        total=priced.total,
        promo_code=promo,
        marketing_consent=consent.marketing,
        ip_address=consent.ip_address or None,
        user_agent=(consent.user_agent or "")[:500],
        payment_due_at=now + timedelta(minutes=settings.TICKETS_PAYMENT_MINUTES),
    )
    _save_new_order(order)
    created = OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            ticket_type=t.ticket_type,
            price=t.price,
            discount=t.discount,
            amount=t.amount,
        )
        for t in priced.tickets
    )
    _seats_attach(created, live)
    Reservation.objects.filter(pk__in=[r.pk for r in live]).update(order=order)
    if cart.promo_code_id is not None:  # the code is spent with this order
        cart.promo_code = None
        cart.save(update_fields=["promo_code", "updated_at"])
    _save_answers(order, answers or [])
    buyer_actor = Actor(user=user, label="buyer")
    OrderLog.objects.create(
        order=order,
        from_status="",
        to_status=S.PENDING,
        actor=buyer_actor.user if user is not None and user.is_authenticated else None,
        actor_label=buyer_actor.label,
        note="checkout",
    )
    _record_consents(order, consent, user)
    order_risk_check(order, event_kind="order_created")
    if order.total == 0:
        _transition(order, S.PAID, actor=buyer_actor, note="free order")
        _after_paid(order)
    return order


def _seats_attach(items: list[OrderItem], live: list[Reservation]) -> None:
    from tickets.services.seats import seats_attach_to_order

    seats_attach_to_order(items=items, reservations=live)


def order_risk_check(order: Order, *, event_kind: str) -> None:
    """Tell privacy about this order-flow event from the buyer's IP; flag the order if risky."""
    try:
        from privacy.services import ip_event_record, ip_risk_assess
    except ImportError:  # the privacy app without its IP-risk service
        return
    if not order.ip_address:
        return
    ip_event_record(ip=order.ip_address, kind=event_kind, reference=order.code)
    risk = ip_risk_assess(ip=order.ip_address)
    if risk.flagged and not order.needs_review:
        order.needs_review = True
        order.review_reason = "; ".join(risk.reasons)[:300]
        order.save(update_fields=["needs_review", "review_reason", "updated_at"])


def _after_paid(order: Order) -> None:
    """After commit: make the PDF tickets and e-mail the confirmation with them attached."""
    from tickets.services.delivery import tickets_deliver_after_paid

    tickets_deliver_after_paid(order)


def _tickets_changed(order: Order) -> None:
    """Some tickets of a paid order were refunded: print the PDF again without them."""
    from tickets.services.delivery import order_pdf_enqueue

    order_pdf_enqueue(order_id=order.pk)


@transaction.atomic
def order_mark_paid(*, order_id: int, actor: Actor, note: str = "") -> Order:
    """Record that the order is paid. Paying a paid order again changes nothing.

    A late payment of an expired order takes its tickets again if they are still free;
    otherwise ``SoldOut`` is raised and the caller must refund the money.
    """
    order = _lock(order_id)
    if order.status == S.PAID:
        return order
    if order.status == S.EXPIRED:
        items = list(order.items.filter(status=OrderItem.Status.VALID))
        per_type: dict[int, int] = {}
        for item in items:
            per_type[item.ticket_type_id] = per_type.get(item.ticket_type_id, 0) + 1
        for ticket_type_id in sorted(per_type):
            inventory_take(ticket_type_id=ticket_type_id, quantity=per_type[ticket_type_id])
        from tickets.services.seats import seats_reclaim_for_order

        seats_reclaim_for_order(order=order)
    _transition(order, S.PAID, actor=actor, note=note)
    _after_paid(order)
    return order


@transaction.atomic
def order_expire(*, order_id: int, now=None) -> bool:
    """Expire an unpaid order whose payment time is over; its tickets go back on sale."""
    order = _lock(order_id)
    now = now or timezone.now()
    if order.status != S.PENDING or order.payment_due_at is None or order.payment_due_at > now:
        return False
    _transition(order, S.EXPIRED, actor=Actor(label="system"), note="payment time is over")
    _return_tickets(order.items.filter(status=OrderItem.Status.VALID))
    _promo_give_back(order)
    return True


def orders_expire_overdue() -> int:
    """Expire every pending order past its payment time (each in its own transaction)."""
    due = Order.objects.filter(status=S.PENDING, payment_due_at__lte=timezone.now())
    return sum(order_expire(order_id=pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def order_cancel(
    *, order_id: int, actor: Actor, reason: str = "", notify_buyer: bool = False
) -> Order:
    """Cancel an order: an unpaid or free one is cancelled, a paid one is refunded in full.

    ``notify_buyer`` e-mails the buyer (after commit) what happened to the order.
    """
    order = _lock(order_id)
    if order.status == S.PENDING or (order.status == S.PAID and order.total == 0):
        valid = list(order.items.filter(status=OrderItem.Status.VALID))
        OrderItem.objects.filter(pk__in=[i.pk for i in valid]).update(
            status=OrderItem.Status.CANCELLED
        )
        _return_tickets(valid)
        if order.status == S.PENDING:
            _promo_give_back(order)
        _transition(order, S.CANCELLED, actor=actor, note=reason)
        if notify_buyer:
            _notify_change(order)
        return order
    if order.status == S.PAID:
        return order_refund(
            order_id=order.pk, actor=actor, reason=reason, notify_buyer=notify_buyer
        )
    raise InvalidTransition()


def _notify_change(order: Order, amount: Decimal | None = None) -> None:
    from tickets.emails import email_order_changed

    email_order_changed(order, refunded=amount)


@transaction.atomic
def order_refund(
    *,
    order_id: int,
    actor: Actor,
    item_ids: list[int] | None = None,
    reason: str = "",
    external_refund_id: str | None = None,
    notify_buyer: bool = False,
) -> Order:
    """Refund a paid order in full or some of its tickets; the tickets go back on sale.

    The provider refund is requested while the order row is locked, so a double click
    cannot refund twice. Raises ``RefundError`` when the provider refuses.
    ``external_refund_id`` records a refund already made at the provider (its notification).
    """
    from tickets.models import Payment, Refund
    from tickets.payments import provider_for

    order = _lock(order_id)
    if order.status != S.PAID:
        raise InvalidTransition()
    items = order.items.filter(status=OrderItem.Status.VALID)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    items = list(items)
    if not items:
        raise RefundError(_("Choose at least one valid ticket to refund."))
    amount = sum((i.amount for i in items), Decimal("0.00"))
    payment = (
        order.payments.filter(status=Payment.Status.SUCCEEDED).order_by("-completed_at").first()
    )
    provider_refund_id = external_refund_id
    if amount > 0 and external_refund_id is None:
        if payment is None:
            raise RefundError(_("There is no successful payment to refund."))
        provider_refund_id = provider_for(payment.provider).refund(payment=payment, amount=amount)
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        amount=amount,
        reason=reason[:300],
        provider_refund_id=provider_refund_id,
        created_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    OrderItem.objects.filter(pk__in=[i.pk for i in items]).update(
        status=OrderItem.Status.REFUNDED, refund=refund
    )
    _return_tickets(items)
    order.refunded_amount = order.refunded_amount + amount
    order.save(update_fields=["refunded_amount", "updated_at"])
    note = reason or _("refund of %(count)d ticket(s)") % {"count": len(items)}
    if not order.items.filter(status=OrderItem.Status.VALID).exists():
        _transition(order, S.REFUNDED, actor=actor, note=note)
    else:
        OrderLog.objects.create(
            order=order,
            from_status=S.PAID,
            to_status=S.PAID,
            actor=refund.created_by,
            actor_label=actor.label,
            note=f"partial refund {amount}: {note}"[:300],
        )
        _tickets_changed(order)
    if notify_buyer:
        _notify_change(order, amount)
    return order


def orders_cancel_for_event(*, event) -> int:
    """Cancel (or refund) every live order of a cancelled event and e-mail its buyers.

    Runs inside the event-cancel transaction. A refund the provider refuses leaves that order
    paid and flagged for review instead of undoing the cancellation.
    """
    from tickets.emails import email_event_cancelled

    done = 0
    orders = Order.objects.filter(event=event, status__in=[S.PENDING, S.PAID]).order_by("pk")
    actor = Actor(label="event cancelled")
    for order_id in list(orders.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                order = order_cancel(order_id=order_id, actor=actor, reason="event cancelled")
        except (RefundError, InvalidTransition) as exc:
            Order.objects.filter(pk=order_id).update(
                needs_review=True, review_reason=f"event cancelled, refund failed: {exc}"[:300]
            )
            continue
        email_event_cancelled(order)
        done += 1
    return done


@transaction.atomic
def orders_claim_for_user(*, user: AbstractBaseUser, email: str) -> int:
    """Attach guest orders placed with ``email`` to the user who just verified that address."""
    email = (email or "").strip().lower()
    if not email:
        return 0
    return Order.objects.filter(user__isnull=True, email=email).update(user=user)


__all__ = [
    "Actor",
    "AnswerInput",
    "BuyerDetails",
    "ConsentInput",
    "SoldOut",
    "order_cancel",
    "order_create",
    "order_expire",
    "order_mark_paid",
    "order_refund",
    "orders_cancel_for_event",
    "orders_claim_for_user",
    "orders_expire_overdue",
]

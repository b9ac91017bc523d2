"""Checkout: the cart's live holds become a pending order (paid at once when it is free)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from events.models import Event
from eventum.rows import (
    RowQuery,
    Statement,
    instance_insert_unless_taken,
    instances_insert_statements,
    instances_inserted,
    statements_run,
)
from privacy.services import (
    consent_ledger_lock_statements,
    consent_record,
    consents_append_statements,
    policy_current,
    subject_blocked_statement,
)
from tickets.companies.inputs import CompanyDetails
from tickets.companies.services import order_company_attach, organisation_remember
from tickets.errors import (
    BuyerDataBlocked,
    CartEmpty,
    NotOnSale,
    PromoCodeInvalid,
    PromoCodeUsedUp,
    ReservationExpired,
    TicketsError,
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
from tickets.pricing import Quote, promo_find, quote
from tickets.seating.services import reservation_seat_flags, seats_attach_to_order
from tickets.selectors import idempotency_key_lookup, order_for_idempotency_key, order_of_lookup
from tickets.services.inventory import (
    expired_holds_release_statement,
    released_holds_return,
    reservations_release,
)
from tickets.services.order_states import (
    Actor,
    S,
    order_paid_deliver,
    order_risk_check,
    order_transition,
)

if TYPE_CHECKING:
    from privacy.models import PolicyVersion

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8


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
    file: "UploadedFile[bytes] | None" = None
    file_content_type: str = ""


@dataclass(frozen=True)
class WrittenConsent:
    """A separate written consent given with the answer to a question about special data."""

    question_id: int
    wording: str


@dataclass
class ConsentInput:
    """The consents given on the form: the exact texts shown, their language and channel."""

    processing_wording: str
    marketing: bool = False
    marketing_wording: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    channel: str = "site"
    language: str | None = None
    policy_version: "PolicyVersion | None" = None  # the version the text named (default: current)
    written: tuple[WrittenConsent, ...] = ()
    app_name: str = ""  # an app through the API names itself; kept in the ledger row's source


def order_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def _promo_consume(promo: PromoCode) -> None:
    used = PromoCode.objects.filter(
        Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")), pk=promo.pk
    ).update(times_used=F("times_used") + 1)
    if used != 1:
        raise PromoCodeUsedUp()


def _save_new_order(order: Order) -> None:
    """Insert the order under a new random code; a code (or idempotency key) already taken
    writes nothing, so no savepoint is needed to try another code."""
    assert order.organizer_id is not None  # Order.save's lookup is not made here
    for _attempt in range(6):
        order.code = order_code_new()
        if instance_insert_unless_taken(order):
            return
        if Order.objects.filter(idempotency_key=order.idempotency_key).exists():
            raise IntegrityError("An order with this idempotency key exists.")
    raise IntegrityError("Could not find a free order code.")


def _save_answers(order: Order, answers: list[AnswerInput]) -> None:
    for answer in answers:
        row = Answer(order=order, question=answer.question, value=answer.value)
        if answer.file is not None:
            name = answer.file.name or "file"
            row.file_name = name[:200]
            row.file_size = answer.file.size
            row.file_content_type = answer.file_content_type
            row.file.save(name, answer.file, save=False)
        row.save()


def _consents_written(
    order: Order, consent: ConsentInput, user: User | None, locked: list[list[tuple[Any, ...]]]
) -> list[Statement]:
    """The statements appending the consents given with the order to the ledger, whose lock
    and head were read with the order's tickets (``locked``:
    ``consent_ledger_lock_statements``' results): for ``_order_create`` to send with the
    order's IP event."""
    common: dict[str, Any] = {
        "action": "given",
        "channel": consent.channel,
        "wording_language": consent.language,
        "user": user if user is not None and user.is_authenticated else None,
        "email": order.email,
        "phone": order.phone,
        "policy_version": consent.policy_version or policy_current(),
        "ip_address": consent.ip_address,
        "user_agent": consent.user_agent,
        "source": f"order:{order.code}"
        + (f" (app: {consent.app_name})" if consent.app_name else ""),
        "save": False,  # appended together below
    }
    rows = [
        consent_record(
            purpose="processing_and_transfer", wording=consent.processing_wording, **common
        )
    ]
    for written in consent.written:
        rows.append(
            consent_record(
                purpose="special_category",
                wording=written.wording,
                **{**common, "source": f"order:{order.code}:question:{written.question_id}"},
            )
        )
    # A blocked subject never gets here: ``order_create`` refuses them before any write.
    if consent.marketing:
        rows.append(
            consent_record(purpose="marketing", wording=consent.marketing_wording, **common)
        )
    elif order.marketing_consent:
        order.marketing_consent = False
        order.save(update_fields=["marketing_consent", "updated_at"])
    return consents_append_statements(rows, locked=locked)


def order_create(
    *,
    cart_token: str,
    idempotency_key: str,
    buyer: BuyerDetails,
    consent: ConsentInput,
    answers: list[AnswerInput] | None = None,
    user: User | None = None,
    language: str = "ru",
    company: CompanyDetails | None = None,
) -> Order:
    """Turn the cart's live holds into a pending order (paid at once when it is free).

    ``company``: the order is bought for an organisation (the buyer is its contact person);
    a signed-in buyer keeps it for next time.

    Submitting the same ``idempotency_key`` again returns the first order. Raises
    ``CartEmpty``, ``ReservationExpired``, ``NotOnSale``, ``PromoCodeUsedUp`` or
    ``BuyerDataBlocked`` (the e-mail, phone or account is blocked: privacy refuses further
    processing); then no order is written. The cart's expired holds are returned to sale in
    the order's transaction; when the order is refused, in a transaction of their own, so a
    checkout refused because its hold expired still gives the tickets back at once.
    """
    now = timezone.now()
    try:
        return _order_create(
            now=now,
            cart_token=cart_token,
            idempotency_key=idempotency_key,
            buyer=buyer,
            consent=consent,
            answers=answers,
            user=user,
            language=language,
            company=company,
        )
    except TicketsError:
        reservations_release(cart_token=cart_token, only_expired=True, now=now)
        raise


# The cart, locked, with the parts of its event the order is made of: its organizer and status,
# whether it sells to organisations, and its address and title (a webhook names them); not
# its descriptions and covers. One statement, built once: the ORM took longer to build it on
# every checkout than the database to answer it.
_CART_LOCKED = RowQuery(
    Cart,
    fields=("token", "event", "user", "promo_code", "created_at", "updated_at"),
    related={
        "event": (
            "organizer",
            "status",
            "allow_company_purchases",
            "slug",
            "title",
            "title_ru",
            "title_kk",
            "title_en",
        )
    },
    where='{table}."token" = %s',
    lock=True,
)


def _checkout_cart_locked(cart_token: str, buyer: BuyerDetails, user: User | None) -> Cart:
    """The cart, locked; ``BuyerDataBlocked`` before anything is written when the buyer's
    e-mail, phone or account is blocked (asked with the lock: one round trip where the
    database takes several statements at once)."""
    using = router.db_for_write(Cart)
    blocked = subject_blocked_statement(email=buyer.email, phone=buyer.phone, user=user)
    found, *blocking = statements_run(
        using, [_CART_LOCKED.statement(cart_token, using=using), *([blocked] if blocked else [])]
    )
    if blocking and blocking[0]:
        raise BuyerDataBlocked()
    carts = _CART_LOCKED.built(found, using=using)
    if not carts or carts[0].event is None:
        raise CartEmpty()
    return carts[0]


# The cart's live holds, locked, with their ticket types and sessions, and whether each is
# sold by seat or holds a seat (``reservation_seat_flags``); built once, as ``_CART_LOCKED``.
_LIVE_HOLDS = RowQuery(
    Reservation,
    related={"ticket_type": None, "ticket_type__session": None},
    extra=reservation_seat_flags(),
    where=(
        '{table}."cart_id" = %s AND {table}."released_at" IS NULL'
        ' AND {table}."order_id" IS NULL AND {table}."expires_at" > %s'
    ),
    order_by='{table}."ticket_type_id", {table}."id"',
    lock=True,
)


def _live_holds_on_sale(cart: Cart, now: datetime, live: list[Reservation]) -> list[Reservation]:
    """The cart's live holds (``_LIVE_HOLDS``, locked), if they are all on sale;
    ``ReservationExpired``/``CartEmpty``/``NotOnSale``.

    ``_order_create`` released the holds expired at ``now`` just before, in this transaction;
    one that expired since then is not live here."""
    if not live:
        expired = Reservation.objects.filter(
            Q(released_at__gte=F("expires_at")) | Q(released_at__isnull=True),
            cart=cart,
            order__isnull=True,
        )
        if expired.exists():
            raise ReservationExpired()
        raise CartEmpty()
    for hold in live:
        session = hold.ticket_type.session
        # a cart holds tickets of its event, read with the cart: not read again per hold
        if cart.event is not None and session.event_id == cart.event_id:
            session.event = cart.event
        if session.event.status != Event.Status.PUBLISHED or (
            session.starts_at <= now and not session.is_open_dated
        ):
            raise NotOnSale()
    return live


def _priced(cart: Cart, live: list[Reservation]) -> tuple[Quote, PromoCode | None]:
    """The holds priced with the cart's promo code, if it still gives a discount (then one
    use of the code is consumed)."""
    promo = None
    if cart.promo_code is not None and cart.event is not None:
        try:
            promo = promo_find(code=cart.promo_code.code, event=cart.event, check_usage=False)
        except PromoCodeInvalid:
            promo = None
    priced = quote(items=[(r.ticket_type, r.quantity) for r in live], promo_code=promo)
    if promo is not None and priced.discount == 0:
        promo = None
    if promo is not None:
        _promo_consume(promo)
    return priced, promo


def _order_new(
    *,
    cart: Cart,
    idempotency_key: str,
    buyer: BuyerDetails,
    consent: ConsentInput,
    user: User | None,
    language: str,
    priced: Quote,
    promo: PromoCode | None,
    now: datetime,
) -> Order:
    event = cart.event
    assert event is not None  # a cart with holds belongs to an event
    order = Order(
        secret=secrets.token_urlsafe(24),
        idempotency_key=idempotency_key,
        event=event,
        organizer_id=event.organizer_id,
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
    return order


def _holds_to_order(order: Order, live: list[Reservation]) -> Statement:
    """The holds now belong to the order: one UPDATE in SQL (the ORM's took longer to build
    than to run, on every checkout)."""
    table = connection.ops.quote_name(Reservation._meta.db_table)
    return (
        f"UPDATE {table} SET order_id = %s WHERE id IN ({', '.join(['%s'] * len(live))})",
        [order.pk, *(hold.pk for hold in live)],
    )


def _holds_to_items(
    order: Order,
    cart: Cart,
    live: list[Reservation],
    priced: Quote,
    log: OrderLog,
    then: list[Statement],
) -> tuple[list[OrderItem], list[list[tuple[Any, ...]]]]:
    """One ticket row per priced ticket; the holds (and their seats) now belong to the order;
    the order's first ``log`` entry is written with them, and ``then`` sent after them. Returns
    the new tickets and the results of ``then``."""
    bought_on = timezone.localdate()
    rows = []
    for t in priced.tickets:
        # an open-dated ticket's days are fixed when it is bought
        valid_from, valid_until = t.ticket_type.validity_window(bought_on) or (None, None)
        rows.append(
            OrderItem(
                order=order,
                ticket_type=t.ticket_type,
                price=t.price,
                discount=t.discount,
                amount=t.amount,
                valid_from=valid_from,
                valid_until=valid_until,
            )
        )
    # the holds handed to the order, its tickets and its log inserted together (one round trip
    # where the database takes several statements at once)
    using = router.db_for_write(OrderItem)
    written = statements_run(
        using,
        [
            _holds_to_order(order, live),
            *instances_insert_statements(rows, using=using),
            *instances_insert_statements([log], using=using),
            *then,
        ],
    )
    tail = len(written) - len(then)
    _handed, *inserted, logged = written[:tail]
    instances_inserted(rows, [row for batch in inserted for row in batch], using=using)
    instances_inserted([log], logged, using=using)
    seats_attach_to_order(items=rows, reservations=live)
    if cart.promo_code_id is not None:  # the code is spent with this order
        cart.promo_code = None
        cart.save(update_fields=["promo_code", "updated_at"])
    return rows, written[tail:]


@transaction.atomic
def _order_create(
    *,
    now: datetime,
    cart_token: str,
    idempotency_key: str,
    buyer: BuyerDetails,
    consent: ConsentInput,
    answers: list[AnswerInput] | None = None,
    user: User | None = None,
    language: str = "ru",
    company: CompanyDetails | None = None,
) -> Order:
    """``order_create`` in one transaction, under the cart's row lock.

    The idempotency key is looked up once, under the lock (a twin request that got the lock
    first has made the order by then); without a cart to lock, the key may still name an
    order made before, which is returned as the first submission's answer."""
    try:
        cart = _checkout_cart_locked(cart_token, buyer, user)
    except CartEmpty:
        existing = order_for_idempotency_key(idempotency_key)
        if existing is not None:
            return existing
        raise
    # the cart's holds expired at ``now`` released, the key's order and the cart's live holds
    # asked, together (one round trip where the database takes several statements at once)
    using = router.db_for_write(Order)
    release, batch = expired_holds_release_statement(cart_id=cart.pk, now=now)
    released, found, holds = statements_run(
        using,
        [release, idempotency_key_lookup(idempotency_key), _LIVE_HOLDS.statement(cart.pk, now)],
    )
    if released:
        released_holds_return(batch)
    existing = order_of_lookup(found)
    if existing is not None:  # a reload, or the twin request got the cart lock first
        return existing
    live = _live_holds_on_sale(cart, now, _LIVE_HOLDS.built(holds, using=using))
    priced, promo = _priced(cart, live)
    order = _order_new(
        cart=cart,
        idempotency_key=idempotency_key,
        buyer=buyer,
        consent=consent,
        user=user,
        language=language,
        priced=priced,
        promo=promo,
        now=now,
    )
    buyer_actor = Actor(user=user, label="buyer")
    log = OrderLog(
        order=order,
        from_status="",
        to_status=S.PENDING,
        actor=buyer_actor.user if user is not None and user.is_authenticated else None,
        actor_label=buyer_actor.label,
        note="checkout",
    )
    # the consent ledger's lock and head read with the tickets: its rows follow them
    items, locked = _holds_to_items(
        order, cart, live, priced, log, then=consent_ledger_lock_statements(using=using)
    )
    if company is not None:
        order_company_attach(order=order, company=company)
        if user is not None and user.is_authenticated:
            organisation_remember(user=user, company=company)
    _save_answers(order, answers or [])
    # the consents go with the IP event: one round trip where the database takes both
    consents = _consents_written(order, consent, user, locked)
    order_risk_check(order, event_kind="order_created", written_first=consents)
    if order.total == 0:
        order_transition(order, S.PAID, actor=buyer_actor, note="free order", items=items)
        order_paid_deliver(order)
    return order

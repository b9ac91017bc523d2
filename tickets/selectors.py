"""Reads of the sales path; each owns its joins so pages make a bounded number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connections, router
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.hooks import EventCancelFigures
from events.models import Event, Session, SessionSeatPrice, TicketType
from eventum.rows import RowQuery, Statement, statements_run
from organizers.models import Organizer
from tickets.models import Answer, Cart, Order, OrderItem, Question, Reservation
from tickets.order_status import last_payment_status
from tickets.pricing import Quote, quote


@dataclass
class CartView:
    cart: Cart
    quote: Quote
    expires_at: datetime | None

    @property
    def seconds_left(self) -> int:
        if self.expires_at is None:
            return 0
        return max(int((self.expires_at - timezone.now()).total_seconds()), 0)

    @property
    def is_empty(self) -> bool:
        return not self.quote.lines


def cart_view(*, cart_token: str | None) -> CartView | None:
    """The cart's live holds priced with its promo code. A read: holds past their time are
    left out (they go back on sale at the next write or from the periodic task)."""
    if not cart_token:
        return None
    cart = (
        Cart.objects.select_related("event__organizer", "event__venue__city", "promo_code")
        .filter(token=cart_token)
        .first()
    )
    if cart is None:
        return None
    live = list(
        Reservation.objects.filter(
            cart=cart, released_at__isnull=True, order__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("ticket_type__session")
        .order_by("ticket_type__session__starts_at", "ticket_type__position", "ticket_type_id")
    )
    items = [(r.ticket_type, r.quantity) for r in live]
    expires_at = min((r.expires_at for r in live), default=None)
    return CartView(
        cart=cart, quote=quote(items=items, promo_code=cart.promo_code), expires_at=expires_at
    )


def idempotency_key_lookup(key: str) -> Statement:
    """The id of the order a checkout with this key already made (the key is unique): one
    column by the key's index, in SQL (building the query cost more than running it), to
    send alone or with other statements (``statements_run``)."""
    order = Order._meta
    column = order.get_field("idempotency_key").column
    return (
        f'SELECT "{order.pk.column}" FROM "{order.db_table}" WHERE "{column}" = %s LIMIT 1',
        [key],
    )


def order_of_lookup(rows: list[tuple[Any, ...]]) -> Order | None:
    """The order ``idempotency_key_lookup`` found (the common miss reads nothing more)."""
    return Order.objects.get(pk=rows[0][0]) if rows else None


def order_for_idempotency_key(key: str) -> Order | None:
    """The order a checkout with this key already made."""
    (rows,) = statements_run(router.db_for_read(Order), [idempotency_key_lookup(key)])
    return order_of_lookup(rows)


def _has_questions() -> RawSQL:
    """Whether the cart's event asks buyers any questions."""
    questions, carts = Question._meta.db_table, Cart._meta.db_table
    asked = f'"{questions}"."{Question._meta.get_field("event").column}"'
    bought = f'"{carts}"."{Cart._meta.get_field("event").column}"'
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{questions}" WHERE {asked} = {bought})',
        (),
        output_field=BooleanField(),
    )


# What the checkout form and its consent text read of the cart's event and its organizer: the
# event's title in every language (its name in the text falls back to Russian), the fields the
# form asks for, the organizer's names, and whether the event asks any questions; not their
# descriptions, covers and legal details. One statement, built once (built by the ORM on every
# checkout, it cost more CPU than the rest of the page's reads).
_CHECKOUT_EVENT = RowQuery(
    Cart,
    fields=("event",),
    related={
        "event": (
            "organizer",
            "title",
            "title_ru",
            "title_kk",
            "title_en",
            "slug",
            "asks_postal_address",
            "allow_company_purchases",
        ),
        "event__organizer": ("public_name", "legal_name"),
    },
    extra={"event_has_questions": _has_questions()},
    where='{table}."token" = %s',
)


def event_for_checkout(*, cart_token: str | None) -> Event | None:
    """The event the cart is buying for, without reading its holds, with its organizer (named
    in the consent text) and whether it asks for the buyers' postal address (the checkout then
    shows the field): one query, which also tells whether the event asks buyers any questions
    (``has_questions``: ``event_questions`` then reads them, or knows there are none)."""
    if not cart_token:
        return None
    return _event_of(_CHECKOUT_EVENT.first(cart_token))


def _event_of(cart: Cart | None) -> Event | None:
    if cart is None or cart.event is None:
        return None
    cart.event.has_questions = cart.event_has_questions  # type: ignore[attr-defined]
    return cart.event


def checkout_reads(*, cart_token: str, idempotency_key: str) -> tuple[Event | None, Order | None]:
    """``event_for_checkout`` and ``order_for_idempotency_key`` (the order a reload or a second
    click already made) asked together: one round trip on PostgreSQL, as a checkout's every
    submission asks both first. ``idempotency_key`` must be one the database can compare."""
    using = router.db_for_read(Order)
    event_read = _CHECKOUT_EVENT.statement(cart_token, using=using)
    carts, found = statements_run(using, [event_read, idempotency_key_lookup(idempotency_key)])
    built = _CHECKOUT_EVENT.built(carts, using=using)
    return _event_of(built[0] if built else None), order_of_lookup(found)


def _sold_by_seat() -> RawSQL:
    """Whether the ticket type of the row is sold by seat."""
    prices, types = SessionSeatPrice._meta, TicketType._meta
    priced = f'"{prices.db_table}"."{prices.get_field("ticket_type").column}"'
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{prices.db_table}" WHERE {priced} = '
        f'"{types.db_table}"."{types.pk.column}")',
        (),
        output_field=BooleanField(),
    )


def _ticket_types_to_hold(where: str, order_by: str) -> RowQuery[TicketType]:
    """Ticket types with their sessions, each with its event's status (``event_status``) and
    whether it is sold by seats on a hall map (``seated``): what holding tickets checks of
    them. One statement, built once (the ORM spent more CPU building it than every other step
    of choosing a ticket)."""
    return RowQuery(
        TicketType,
        related={"session": None},
        extra={
            "event_status": RawSQL(
                f'SELECT e."status" FROM "{Event._meta.db_table}" e'
                ' WHERE e."id" = {session}."event_id"',
                (),
                output_field=CharField(),
            ),
            "seated": _sold_by_seat(),
        },
        where=where,
        order_by=order_by,
    )


# by their ids, in the order of their ids (the order the cart takes them in)
TICKET_TYPES_TO_HOLD = _ticket_types_to_hold('{table}."id" IN %l', '{table}."id"')
# a session's, in their order on its page
_SESSION_TICKET_TYPES = _ticket_types_to_hold(
    '{table}."session_id" = %s', '{table}."position", {table}."price", {table}."id"'
)


@dataclass(frozen=True)
class SessionChoice:
    """What a ticket choice needs of its session: its event (the waiting room's door) and its
    ticket types in their order on the page (the ``qty_<id>`` fields), as holding them checks
    them (``TICKET_TYPES_TO_HOLD``'s reading)."""

    event_id: int
    ticket_types: list[TicketType]

    @property
    def ticket_type_ids(self) -> list[int]:
        return [ticket_type.pk for ticket_type in self.ticket_types]


def session_choice(session_id: int) -> SessionChoice | None:
    """The choice of a session (``None``: no such session): its event by the primary key and
    its ticket types, together (one round trip on PostgreSQL), in SQL built once. Every ticket
    choice asks it, and the ORM took longer to build the queries than the database to answer
    them; the cart then holds tickets without reading the types again."""
    using = router.db_for_read(Session)
    quote = connections[using].ops.quote_name
    events, types = statements_run(
        using,
        [
            (f"SELECT event_id FROM {quote(Session._meta.db_table)} WHERE id = %s", [session_id]),
            _SESSION_TICKET_TYPES.statement(session_id, using=using),
        ],
    )
    if not events:
        return None
    return SessionChoice(
        event_id=events[0][0], ticket_types=_SESSION_TICKET_TYPES.built(types, using=using)
    )


def cart_hold_expired(*, cart_token: str | None, within_minutes: int = 60) -> bool:
    """Did this cart lose tickets to expiry lately: released at or after their hold time, or
    past it and not released yet (pages only read; the release comes at the next write)?"""
    if not cart_token:
        return False
    now = timezone.now()
    since = now - timedelta(minutes=within_minutes)
    expired = Q(released_at__gte=F("expires_at")) | Q(released_at__isnull=True, expires_at__lte=now)
    return Reservation.objects.filter(
        expired, cart__token=cart_token, order__isnull=True, expires_at__gte=since
    ).exists()


def cart_quantities(*, cart_token: str | None) -> dict[int, int]:
    """Ticket type id → quantity held by the cart now (for pre-filling the choice form): one
    indexed read in SQL. Every event page a visitor with a cart opens asks it, and the ORM
    took longer to build the query than the database to answer it."""
    if not cart_token:
        return {}
    using = router.db_for_read(Reservation)
    connection = connections[using]
    quote = connection.ops.quote_name
    holds, carts = quote(Reservation._meta.db_table), quote(Cart._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    (rows,) = statements_run(
        using,
        [
            (
                f"SELECT r.ticket_type_id, r.quantity FROM {holds} r"
                f" JOIN {carts} c ON c.id = r.cart_id WHERE c.token = %s"
                " AND r.released_at IS NULL AND r.order_id IS NULL AND r.expires_at > %s",
                [cart_token, now],
            )
        ],
    )
    return dict(rows)


def event_questions(*, event: Event) -> list[Question]:
    """The event's questions to buyers, in order; each names ``event`` (and so its organizer,
    as the consent to questions about special data does) without reading it again. An event
    read by ``event_for_checkout`` says whether it has any: without, none are read."""
    if getattr(event, "has_questions", True) is False:
        return []
    questions = list(Question.objects.filter(event=event).order_by("position", "id"))
    for question in questions:
        question.event = event
    return questions


def _order_detail_qs() -> QuerySet[Order]:
    items = OrderItem.objects.select_related("ticket_type__session").order_by("id")
    return Order.objects.select_related(
        "event__venue__city", "event__organizer", "promo_code", "user"
    ).prefetch_related(
        Prefetch("items", queryset=items),
        Prefetch("answers", queryset=_answers_qs()),
        "log__actor",
        "refunds",
        "payments",
    )


def _answers_qs() -> QuerySet[Answer]:
    return Answer.objects.select_related("question").order_by("question__position", "id")


def order_for_page(*, code: str) -> Order | None:
    return _order_detail_qs().filter(code=code).first()


def orders_of_user(*, user: User) -> QuerySet[Order]:
    """The buyer's orders, newest first, with what the list shows."""
    return (
        Order.objects.filter(user=user)
        .select_related("event__venue__city")
        .annotate(tickets=Count("items", filter=Q(items__status=OrderItem.Status.VALID)))
        .annotate(last_payment_status=last_payment_status())
        .order_by("-created_at", "-id")
    )


def valid_tickets_count() -> Coalesce:
    """The order's valid tickets as a per-row subquery: a list annotated with it reads only
    its page of orders, where a ``Count`` join would group every order before the limit."""
    per_order = (
        OrderItem.objects.filter(order=OuterRef("pk"), status=OrderItem.Status.VALID)
        .order_by()
        .values("order")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(per_order), 0)


def orders_of_organizer(
    *, organizer: Organizer, status: str = "", query: str = "", event_slug: str = ""
) -> QuerySet[Order]:
    """An organizer's orders for the cabinet list."""
    qs = (
        Order.objects.filter(organizer=organizer)
        .select_related("event")
        .annotate(tickets=valid_tickets_count())
        .annotate(last_payment_status=last_payment_status())
        .order_by("-created_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    if event_slug:
        qs = qs.filter(event__slug=event_slug)
    if query:
        qs = qs.filter(
            Q(code__iexact=query.strip().upper())
            | Q(email__icontains=query.strip())
            | Q(surname__icontains=query.strip())
        )
    return qs


def order_for_cabinet(*, organizer: Organizer, code: str) -> Order | None:
    return _order_detail_qs().filter(event__organizer=organizer, code=code).first()


# Confirmation figures of the cabinet's destructive actions ------------------------------------
# They mirror what ``order_cancel``, ``order_refund`` and ``orders_cancel_for_event`` do, so the
# confirmation page states the tickets and the money before the service runs.

_LIVE = (Order.Status.PENDING, Order.Status.PAID)


def event_cancel_figures(*, event_id: int) -> EventCancelFigures:
    """Orders, tickets and money that cancelling the event would cancel or refund: every order
    awaiting payment or paid is cancelled; a paid one with money is refunded for its valid
    tickets."""
    refunded = Q(order__status=Order.Status.PAID, order__total__gt=0)
    orders = Order.objects.filter(event_id=event_id, status__in=_LIVE).aggregate(
        orders=Count("pk"), paid=Count("pk", filter=Q(status=Order.Status.PAID, total__gt=0))
    )
    items = OrderItem.objects.filter(
        order__event_id=event_id, order__status__in=_LIVE, status=OrderItem.Status.VALID
    ).aggregate(tickets=Count("pk"), amount=Sum("amount", filter=refunded))
    return EventCancelFigures(
        orders=orders["orders"],
        paid_orders=orders["paid"],
        tickets=items["tickets"],
        refund_amount=items["amount"] or Decimal("0.00"),
    )


@dataclass(frozen=True)
class OrderRefundFigures:
    """What refunding (or cancelling) an order, whole or some of its tickets, would do."""

    items: list[OrderItem]  # valid tickets that stop working; empty: nothing to do
    amount: Decimal  # money returned to the buyer
    whole: bool  # the whole order, not chosen tickets
    cancels: bool  # an unpaid or free order is cancelled rather than refunded

    @property
    def tickets(self) -> int:
        return len(self.items)

    @property
    def fingerprint(self) -> str:
        """Carried by the confirmation form: if the order changes before the organizer
        confirms, the figures no longer match and nothing is done."""
        ids = ",".join(str(item.pk) for item in self.items)
        return f"{ids}:{self.amount}"


def order_refund_figures(*, order: Order, item_ids: list[int] | None) -> OrderRefundFigures:
    """Figures of ``order_cancel`` (``item_ids`` None: the whole order) or of ``order_refund``
    of the chosen tickets. Only valid tickets of this order count; ids of others are ignored."""
    S = Order.Status
    whole = item_ids is None
    cancels = whole and (order.status == S.PENDING or (order.status == S.PAID and order.total == 0))
    if not (order.status == S.PAID or cancels):
        return OrderRefundFigures(items=[], amount=Decimal("0.00"), whole=whole, cancels=False)
    valid = order.items.filter(status=OrderItem.Status.VALID)
    if item_ids is not None:
        valid = valid.filter(pk__in=item_ids)
    items = list(valid.select_related("ticket_type").order_by("id"))
    amount = Decimal("0.00") if cancels else sum((i.amount for i in items), Decimal("0.00"))
    return OrderRefundFigures(items=items, amount=amount, whole=whole, cancels=cancels)


def attendees_of_event(*, organizer: Organizer, event_id: int) -> QuerySet[OrderItem]:
    """The valid tickets of the event's paid orders (the organizer's own event only), with
    their order and session, in order of sale."""
    return (
        OrderItem.objects.filter(
            order__event_id=event_id,
            order__event__organizer=organizer,
            order__status=Order.Status.PAID,
            status=OrderItem.Status.VALID,
        )
        .select_related("order", "ticket_type__session")
        .order_by("id")
    )

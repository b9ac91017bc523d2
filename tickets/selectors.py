"""Reads of the sales path; each owns its joins so pages make a bounded number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from tickets.models import Cart, Order, OrderItem, Question, Reservation
from tickets.pricing import Quote, quote
from tickets.services.inventory import reservations_release


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
    """The cart's live holds priced with its promo code; expired holds are released first."""
    if not cart_token:
        return None
    cart = (
        Cart.objects.select_related("event__organizer", "event__venue__city", "promo_code")
        .filter(token=cart_token)
        .first()
    )
    if cart is None:
        return None
    reservations_release(cart_id=cart.pk, only_expired=True)
    live = list(
        Reservation.objects.filter(cart=cart, released_at__isnull=True, order__isnull=True)
        .select_related("ticket_type__session")
        .order_by("ticket_type__session__starts_at", "ticket_type__position", "ticket_type_id")
    )
    items = [(r.ticket_type, r.quantity) for r in live]
    expires_at = min((r.expires_at for r in live), default=None)
    return CartView(
        cart=cart, quote=quote(items=items, promo_code=cart.promo_code), expires_at=expires_at
    )


def order_for_idempotency_key(key: str) -> Order | None:
    """The order a checkout with this key already made; the common miss reads one column."""
    pk = Order.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
    return Order.objects.get(pk=pk) if pk is not None else None


def cart_event_id(*, cart_token: str | None) -> int | None:
    """The event the cart is buying for, without reading its holds."""
    if not cart_token:
        return None
    return Cart.objects.filter(token=cart_token).values_list("event_id", flat=True).first()


def cart_hold_expired(*, cart_token: str | None, within_minutes: int = 60) -> bool:
    """Did this cart lose tickets to expiry lately (released at or after their hold time)?"""
    if not cart_token:
        return False
    since = timezone.now() - timedelta(minutes=within_minutes)
    return Reservation.objects.filter(
        cart__token=cart_token,
        order__isnull=True,
        released_at__gte=F("expires_at"),
        expires_at__gte=since,
    ).exists()


def cart_quantities(*, cart_token: str | None) -> dict[int, int]:
    """Ticket type id → quantity held by the cart now (for pre-filling the choice form)."""
    if not cart_token:
        return {}
    return dict(
        Reservation.objects.filter(
            cart__token=cart_token,
            released_at__isnull=True,
            order__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("ticket_type_id", "quantity")
    )


def event_questions(*, event_id: int) -> list[Question]:
    return list(Question.objects.filter(event_id=event_id).order_by("position", "id"))


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


def _answers_qs():
    from tickets.models import Answer

    return Answer.objects.select_related("question").order_by("question__position", "id")


def order_for_page(*, code: str) -> Order | None:
    return _order_detail_qs().filter(code=code).first()


def orders_of_user(*, user) -> QuerySet[Order]:
    """The buyer's orders, newest first, with what the list shows."""
    return (
        Order.objects.filter(user=user)
        .select_related("event__venue__city")
        .annotate(tickets=Count("items", filter=Q(items__status=OrderItem.Status.VALID)))
        .order_by("-created_at", "-id")
    )


def orders_of_organizer(
    *, organizer, status: str = "", query: str = "", event_slug: str = ""
) -> QuerySet[Order]:
    """An organizer's orders for the cabinet list."""
    qs = (
        Order.objects.filter(event__organizer=organizer)
        .select_related("event")
        .annotate(tickets=Count("items", filter=Q(items__status=OrderItem.Status.VALID)))
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


def order_for_cabinet(*, organizer, code: str) -> Order | None:
    return _order_detail_qs().filter(event__organizer=organizer, code=code).first()

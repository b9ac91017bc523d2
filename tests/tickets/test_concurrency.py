"""Many buyers at once against PostgreSQL: nothing is ever sold twice.

Each buyer is a thread with its own database connection; a barrier starts them together.
"""

from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from events.models import TicketType
from tests.factories import TicketTypeFactory
from tests.fixtures_services import wait_for
from tests.tickets.factories import PromoCodeFactory, new_token
from tests.tickets.race import race
from tickets.errors import OrderLimitExceeded, PromoCodeUsedUp, SoldOut, TicketsError
from tickets.models import Order, PromoCode, Reservation
from tickets.services.cart import cart_promo_apply, cart_set_quantities
from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BUYERS = 60


def _race(count: int, attempt: Callable[[int], object]) -> tuple[list[object], list[Exception]]:
    wins, losses = race(count, attempt)
    return wins, [exc for _n, exc in losses]


def test_last_tickets_go_to_exactly_as_many_buyers_as_are_left():
    assert connection.vendor == "postgresql"
    tt = TicketTypeFactory(quantity=100, quantity_taken=93)  # N = 7 left
    wins, losses = _race(
        BUYERS, lambda n: cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 1})
    )
    assert len(wins) == 7
    assert len(losses) == BUYERS - 7
    assert all(isinstance(exc, SoldOut) for exc in losses), Counter(type(e) for e in losses)
    assert {str(exc.message) for exc in losses} == {"Билеты «Стандарт» распроданы."}
    tt.refresh_from_db()
    assert tt.quantity_taken == 100
    held = sum(
        Reservation.objects.filter(released_at__isnull=True).values_list("quantity", flat=True)
    )
    assert held == 7


def test_concurrent_clicks_in_one_cart_respect_the_per_order_limit():
    """Many tabs of one cart each ask for a different number at once: those within the limit
    win, the rest are refused, and the cart's one hold is what the ticket type counts."""
    tt = TicketTypeFactory(quantity=500, max_per_order=4)
    token = new_token()
    wins, losses = _race(
        BUYERS,
        lambda n: cart_set_quantities(cart_token=token, quantities={tt.pk: n % 8 + 1}),
    )
    assert all(isinstance(exc, OrderLimitExceeded) for exc in losses), Counter(
        type(e) for e in losses
    )
    assert len(wins) == sum(1 for n in range(BUYERS) if n % 8 + 1 <= 4)
    held = Reservation.objects.get(cart__token=token, released_at__isnull=True).quantity
    assert 1 <= held <= 4
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == held


def test_promo_code_usage_limit_holds_under_concurrent_checkouts(settings):
    tt = TicketTypeFactory(quantity=500)
    promo = PromoCodeFactory(organizer=tt.session.event.organizer, usage_limit=5)
    tokens = []
    for _n in range(BUYERS):
        token = new_token()
        cart_set_quantities(cart_token=token, quantities={tt.pk: 1})
        cart_promo_apply(cart_token=token, code=promo.code)
        tokens.append(token)

    def checkout(n: int) -> Order:
        return order_create(
            cart_token=tokens[n],
            idempotency_key=new_token(),
            buyer=BuyerDetails(
                surname="Иванов", name="Иван", phone="+77011234567", email=f"b{n}@example.kz"
            ),
            consent=ConsentInput(processing_wording="I agree"),
        )

    wins, losses = _race(BUYERS, checkout)
    assert len(wins) == 5
    assert all(isinstance(exc, PromoCodeUsedUp) for exc in losses), Counter(type(e) for e in losses)
    assert all(isinstance(exc, TicketsError) and exc.message for exc in losses)
    assert PromoCode.objects.get(pk=promo.pk).times_used == 5
    assert Order.objects.filter(promo_code=promo).count() == 5
    assert Order.objects.count() == 5


def test_double_submit_of_one_checkout_makes_exactly_one_order():
    tt = TicketTypeFactory(quantity=10)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 2})
    key = new_token()

    def submit(n: int) -> int:
        return order_create(
            cart_token=token,
            idempotency_key=key,
            buyer=BuyerDetails(
                surname="Иванов", name="Иван", phone="+77011234567", email="b@example.kz"
            ),
            consent=ConsentInput(processing_wording="I agree"),
        ).pk

    wins, losses = _race(20, submit)
    assert not losses, Counter(type(e) for e in losses)
    assert len(set(wins)) == 1
    assert Order.objects.count() == 1
    assert Order.objects.get().items.count() == 2
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 2


def test_the_periodic_task_on_a_real_worker_returns_expired_holds(celery_worker_process):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.tasks import reservations_release_expired_task

    tt = TicketTypeFactory(quantity=5)
    cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 3})
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    reservations_release_expired_task.delay()
    wait_for(lambda: TicketType.objects.get(pk=tt.pk).quantity_taken == 0)
    assert Reservation.objects.get().released_at is not None

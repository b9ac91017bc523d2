from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketTypeFactory
from tests.tickets.factories import PromoCodeFactory, new_token
from tests.tickets.flows import place_order
from tests.tickets.helpers import buyer_data, choose, idempotency_key
from tickets.errors import PromoCodeInvalid, PromoCodeUsedUp
from tickets.models import Order, PromoCode
from tickets.services.cart import cart_promo_apply, cart_set_quantities
from tickets.services.order_lifecycle import order_cancel, order_expire
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def stalls():
    return TicketTypeFactory(price=Decimal("12500"), quantity=20)


@pytest.fixture
def balcony(stalls):
    return TicketTypeFactory(session=stalls.session, price=Decimal("7000"), quantity=20)


def _organizer(tt):
    return tt.session.event.organizer


def test_percent_code_for_the_event_discounts_every_ticket(stalls, balcony):
    PromoCodeFactory(
        organizer=_organizer(stalls), event=stalls.session.event, code="SPRING", value=10
    )
    order = place_order({stalls: 2, balcony: 1}, promo="spring")
    assert order.subtotal == Decimal("32000.00")
    assert order.discount == Decimal("3200.00")
    assert order.total == Decimal("28800.00")
    assert sorted(order.items.values_list("amount", flat=True)) == [
        Decimal("6300.00"),
        Decimal("11250.00"),
        Decimal("11250.00"),
    ]
    assert PromoCode.objects.get().times_used == 1


def test_fixed_code_for_one_ticket_type_is_spread_over_its_tickets(stalls, balcony):
    PromoCodeFactory(
        organizer=_organizer(stalls),
        ticket_type=balcony,
        code="BALCONY",
        kind=PromoCode.Kind.FIXED,
        value=Decimal("10000"),
    )
    order = place_order({stalls: 1, balcony: 2}, promo="BALCONY")
    assert order.discount == Decimal("10000.00")
    assert order.total == Decimal("16500.00")
    amounts = {(i.ticket_type_id, i.amount) for i in order.items.all()}
    assert amounts == {(stalls.pk, Decimal("12500.00")), (balcony.pk, Decimal("2000.00"))}
    assert sum(i.amount for i in order.items.all()) == order.total


def test_fixed_code_never_makes_a_ticket_negative(stalls):
    PromoCodeFactory(
        organizer=_organizer(stalls), code="HUGE", kind=PromoCode.Kind.FIXED, value=Decimal("99999")
    )
    order = place_order({stalls: 1}, promo="HUGE")
    assert order.total == Decimal("0.00")
    assert order.status == Order.Status.PAID  # nothing to pay


@pytest.mark.parametrize(
    "kwargs",
    [
        {"valid_from": timezone.now() + timedelta(days=1)},
        {"valid_until": timezone.now() - timedelta(minutes=1)},
        {"is_active": False},
    ],
)
def test_codes_outside_their_window_are_refused(stalls, kwargs):
    PromoCodeFactory(organizer=_organizer(stalls), code="WINDOW", **kwargs)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={stalls.pk: 1})
    with pytest.raises(PromoCodeInvalid):
        cart_promo_apply(cart_token=token, code="WINDOW")


def test_code_of_another_organizer_or_event_is_refused(stalls):
    PromoCodeFactory(code="OTHER")
    PromoCodeFactory(
        organizer=_organizer(stalls), event=TicketTypeFactory().session.event, code="EV"
    )
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={stalls.pk: 1})
    for code in ("OTHER", "EV", "NOPE"):
        with pytest.raises(PromoCodeInvalid):
            cart_promo_apply(cart_token=token, code=code)


def test_used_up_code_is_refused_and_expiry_gives_the_use_back(stalls):
    promo = PromoCodeFactory(organizer=_organizer(stalls), code="ONCE", usage_limit=1)
    order = place_order({stalls: 1}, promo="ONCE")
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={stalls.pk: 1})
    with pytest.raises(PromoCodeUsedUp):
        cart_promo_apply(cart_token=token, code="ONCE")
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now())
    order_expire(order_id=order.pk)
    assert PromoCode.objects.get(pk=promo.pk).times_used == 0
    assert cart_promo_apply(cart_token=token, code="ONCE") == promo


def test_cancelling_a_pending_order_gives_the_use_back(stalls):
    promo = PromoCodeFactory(organizer=_organizer(stalls), code="BACK", usage_limit=5)
    order = place_order({stalls: 1}, promo="BACK")
    order_cancel(order_id=order.pk, actor=Actor(label="organizer"))
    assert PromoCode.objects.get(pk=promo.pk).times_used == 0


def test_checkout_page_shows_the_discount_and_wrong_codes_get_a_message(client, policy, stalls):
    PromoCodeFactory(organizer=_organizer(stalls), code="TEN", value=10)
    choose(client, stalls.session, {stalls: 2})
    bad = client.post(reverse("tickets:promo_apply"), {"code": "WRONG"}, follow=True)
    assert "Такого промокода нет" in bad.content.decode()
    good = client.post(reverse("tickets:promo_apply"), {"code": "ten"}, follow=True)
    html = good.content.decode()
    assert "Промокод применён" in html
    assert "Промокод TEN" in html
    assert "−2\u00a0500\u00a0₸" in html
    assert "22\u00a0500\u00a0₸" in html
    client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    order = Order.objects.get()
    assert order.total == Decimal("22500.00")
    assert order.promo_code.code == "TEN"

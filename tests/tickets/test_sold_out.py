"""``event.sold_out`` goes to the organizer's webhooks when a session's last ticket is sold (an
order paid, a paid booking moved into the last place), once a sell-out: a cart hold or an
unpaid order taking the last ticket tells nothing, and only after tickets came back (refund,
cancellation, expiry, more put on sale) does the next sell-out tell again."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.schedules.services import schedule_create
from events.services import ticket_type_create, ticket_type_update
from organizers.webhooks.models import WebhookDelivery
from organizers.webhooks.services import webhook_endpoint_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order
from tests.tickets.factories import new_token
from tests.tickets.flows import place_order
from tickets.models import SoldOutEpisode
from tickets.payments.services import payment_complete, payment_start
from tickets.services.booking_move import order_move_to_slot
from tickets.services.cart import cart_set_quantities
from tickets.services.inventory import reservations_release
from tickets.services.order_lifecycle import order_cancel, order_expire
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True


@pytest.fixture
def small(policy):
    """A session of two tickets whose organizer listens for ``event.sold_out``."""
    event = EventFactory()
    webhook_endpoint_create(
        organizer=event.organizer,
        url="http://127.0.0.1:9/hooks",
        event_types=["event.sold_out"],
        created_by=None,
    )
    return TicketTypeFactory(session=SessionFactory(event=event), price=Decimal("3000"), quantity=2)


def _told():
    return list(
        WebhookDelivery.objects.filter(event_type="event.sold_out")
        .order_by("pk")
        .values_list("payload", flat=True)
    )


def _pay(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


def test_a_cart_hold_taking_the_last_ticket_tells_nothing_paying_it_tells_once(small):
    _pay(place_order({small: 1}))
    cart_set_quantities(cart_token=new_token(), quantities={small.pk: 1})
    small.refresh_from_db()
    assert small.quantity_taken == small.quantity
    assert _told() == []
    # The hold lapses and another buyer takes the ticket: still only held, nothing told.
    reservations_release(ticket_type_ids=[small.pk], now=timezone.now() + timedelta(hours=2))
    pending = place_order({small: 1}, email="last@example.kz")
    assert _told() == []
    _pay(pending)
    (payload,) = _told()
    assert payload["data"]["session"]["id"] == small.session_id
    assert payload["data"]["event"]["id"] == small.session.event_id
    assert payload["data"]["event_sold_out"] is True


def test_a_refund_ends_the_sell_out_and_the_next_one_tells_again(small):
    first = _pay(place_order({small: 1}))
    _pay(place_order({small: 1}))
    assert len(_told()) == 1
    order_refund(order_id=first.pk, actor=Actor(), item_ids=[first.items.get().pk])
    episode = SoldOutEpisode.objects.get(session=small.session)
    assert episode.closed_at is not None
    _pay(place_order({small: 1}))
    assert len(_told()) == 2
    assert SoldOutEpisode.objects.filter(session=small.session, closed_at__isnull=True).count() == 1


def test_a_cancelled_order_ends_the_sell_out(small):
    first = _pay(place_order({small: 2}))
    order_cancel(order_id=first.pk, actor=Actor(), reason="test")
    _pay(place_order({small: 2}))
    assert len(_told()) == 2


def test_an_expired_order_is_a_ticket_back_not_a_sell_out(small):
    _pay(place_order({small: 1}))
    late = place_order({small: 1})
    late.payment_due_at = timezone.now() - timedelta(minutes=1)
    late.save(update_fields=["payment_due_at"])
    assert order_expire(order_id=late.pk)
    assert _told() == []
    _pay(place_order({small: 1}))
    assert len(_told()) == 1


def test_more_tickets_on_sale_end_the_sell_out(small):
    _pay(place_order({small: 2}))
    ticket_type_update(ticket_type=small, data={"quantity": 3})
    assert not SoldOutEpisode.objects.filter(closed_at__isnull=True).exists()
    _pay(place_order({small: 1}))
    assert len(_told()) == 2
    # A new type in the sold-out session is more on sale too.
    ticket_type_create(session=small.session, data={"name": "VIP", "price": 0, "quantity": 1})
    assert not SoldOutEpisode.objects.filter(closed_at__isnull=True).exists()


def test_a_session_sold_out_while_another_has_tickets(small):
    TicketTypeFactory(session=SessionFactory(event=small.session.event), quantity=5)
    _pay(place_order({small: 2}))
    (payload,) = _told()
    assert payload["data"]["event_sold_out"] is False


def test_paying_while_other_tickets_are_held_tells_nothing(small):
    cart_set_quantities(cart_token=new_token(), quantities={small.pk: 1})
    _pay(place_order({small: 1}))
    assert _told() == []
    assert not SoldOutEpisode.objects.exists()


def test_a_paid_booking_moved_into_the_last_places_tells_once(settings, policy):
    settings.SCHEDULES_HORIZON_DAYS = 4
    schedule, _report = schedule_create(
        event=ServiceFactory(), data=_rule(times="10:00", capacity=3), ticket_types=TEMPLATES
    )
    webhook_endpoint_create(
        organizer=schedule.event.organizer,
        url="http://127.0.0.1:9/hooks",
        event_types=["event.sold_out"],
        created_by=None,
    )
    soon = timezone.now() + timedelta(hours=24)
    first, second = [s for s in schedule.slots.order_by("starts_at") if s.starts_at > soon][:2]
    adult = second.ticket_types.get(name_en="Adult")
    paid_order(adult, quantity=1, email="there@example.kz")
    assert _told() == []
    moving = paid_order(first.ticket_types.get(name_en="Adult"), quantity=2)
    order_move_to_slot(order_id=moving.pk, session_id=second.pk)
    (payload,) = _told()
    assert payload["data"]["session"]["id"] == second.pk

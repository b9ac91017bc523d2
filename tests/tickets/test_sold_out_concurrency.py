"""The last orders of a session paid at the same moment against PostgreSQL: the session's sell-out
is told to the organizer's webhooks exactly once."""

from decimal import Decimal

import pytest
from django.db import connection

from organizers.webhooks.models import WebhookDelivery
from organizers.webhooks.services import webhook_endpoint_create
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tests.tickets.race import race
from tickets.models import Order, SoldOutEpisode
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LAST_ORDERS = 6


def test_the_last_orders_paid_at_once_tell_the_sell_out_once(settings):
    assert connection.vendor == "postgresql"
    settings.WEBHOOKS_ALLOW_LOCAL = True
    event = EventFactory()
    webhook_endpoint_create(
        organizer=event.organizer,
        url="http://127.0.0.1:9/hooks",
        event_types=["event.sold_out"],
        created_by=None,
    )
    session = SessionFactory(event=event)
    # Two types, so the last payments finish the session through different counters.
    standard = TicketTypeFactory(session=session, price=Decimal("3000"), quantity=LAST_ORDERS - 2)
    vip = TicketTypeFactory(session=session, price=Decimal("9000"), quantity=2)
    orders = [place_order({standard: 1}) for _n in range(LAST_ORDERS - 2)]
    orders += [place_order({vip: 1}) for _n in range(2)]
    payments = [payment_start(order_id=o.pk, provider_name="test") for o in orders]

    def pay(n: int) -> None:
        payment_complete(
            payment_id=payments[n].pk,
            succeeded=True,
            transaction_id=f"t-{payments[n].pk}",
            actor=Actor(),
        )

    _wins, losses = race(LAST_ORDERS, pay)
    assert not losses, losses
    assert Order.objects.filter(status=Order.Status.PAID).count() == LAST_ORDERS
    told = WebhookDelivery.objects.filter(event_type="event.sold_out")
    assert told.count() == 1
    assert told.get().payload["data"]["session"]["id"] == session.pk
    assert SoldOutEpisode.objects.filter(session=session, closed_at__isnull=True).count() == 1

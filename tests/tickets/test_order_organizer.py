"""Every order carries its event's organizer, so the cabinet's order list reads one index per
organizer (newest first, by cursor, with or without a status) instead of joining every event."""

from decimal import Decimal

import pytest

from tests.factories import EventFactory, TicketTypeFactory
from tests.queries import query_plan
from tests.tickets.flows import place_order
from tickets.models import Order
from tickets.order_search import PAGE_SIZE, orders_page, orders_search


@pytest.mark.django_db
def test_checkout_writes_the_events_organizer_on_the_order():
    ticket_type = TicketTypeFactory(price=Decimal("1000"), quantity=5)
    order = place_order({ticket_type: 1})
    order.refresh_from_db()
    assert order.organizer_id == ticket_type.session.event.organizer_id


@pytest.mark.django_db
def test_an_order_saved_without_one_takes_its_events_organizer():
    order = Order.objects.get(pk=place_order().pk)
    Order.objects.filter(pk=order.pk).update(organizer=None)
    order.refresh_from_db()
    order.save()
    order.refresh_from_db()
    assert order.organizer_id == order.event.organizer_id


@pytest.mark.django_db
def test_the_list_shows_only_the_organizers_orders_with_their_ticket_counts():
    mine = place_order({TicketTypeFactory(price=Decimal("1000"), quantity=5): 3})
    place_order()  # another organizer's
    found = list(orders_search(organizer=mine.event.organizer, filters={}))
    assert [order.pk for order in found] == [mine.pk]
    assert found[0].tickets == 3


@pytest.mark.services
@pytest.mark.django_db
def test_the_order_list_and_its_status_filter_walk_the_organizers_index():
    event = EventFactory()
    ticket_type = TicketTypeFactory(session__event=event, price=Decimal("1000"), quantity=50)
    for _n in range(3):
        place_order({ticket_type: 1})
    organizer = event.organizer
    newest = orders_search(organizer=organizer, filters={})[: PAGE_SIZE + 1]
    assert "order_organizer_newest" in query_plan(newest, sort=False)
    paid = orders_search(organizer=organizer, filters={"status": "pending"})[: PAGE_SIZE + 1]
    assert "order_organizer_status_newest" in query_plan(paid, sort=False)
    page = orders_page(orders_search(organizer=organizer, filters={}))
    assert len(page.orders) == 3 and page.count == 3

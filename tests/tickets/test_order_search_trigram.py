"""On PostgreSQL the order list's search by a piece of the buyer's name is served by the
trigram (pg_trgm) indexes of the surname and the name, and finds the right orders."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import TicketTypeFactory
from tests.queries import query_plan
from tests.tickets.flows import place_order
from tickets.models import Order
from tickets.order_search import orders_search

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_a_piece_of_a_name_is_found_through_the_trigram_index():
    assert connection.vendor == "postgresql"
    ticket_type = TicketTypeFactory(price=Decimal("1000"), quantity=20)
    organizer = ticket_type.session.event.organizer
    buyers = [("Сейтказиева", "Дана"), ("Бекмуханбетов", "Ержан"), ("Иванова", "Айгерим")]
    orders = {}
    for n, (surname, name) in enumerate(buyers):
        order = place_order({ticket_type: 1}, email=f"b{n}@example.kz")
        Order.objects.filter(pk=order.pk).update(surname=surname, name=name)
        orders[surname] = order.code
    found = orders_search(organizer=organizer, filters={"q": "казиев"})
    assert {order.code for order in found} == {orders["Сейтказиева"]}
    found = orders_search(organizer=organizer, filters={"q": "ГЕРИМ"})
    assert {order.code for order in found} == {orders["Иванова"]}
    by_surname = Order.objects.filter(surname__icontains="мухан")
    assert "order_surname_trgm" in query_plan(by_surname)
    assert "order_name_trgm" in query_plan(Order.objects.filter(name__icontains="ерж"))

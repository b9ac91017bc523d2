"""Payments at once for the same ticket type, against PostgreSQL: every one is counted in the
sales summary (the first sale of the day inserts the row while the others wait or add)."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import SessionFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tests.tickets.race import race
from tests.tickets.reports_data import pay
from tickets.models import EventSalesDay, TicketSalesDay
from tickets.reports.models import OrganizerSalesDay
from tickets.reports.services.sales_summary import sales_summary_recount
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BUYERS = 12


def test_concurrent_payments_for_one_ticket_type_all_count():
    assert connection.vendor == "postgresql"
    ticket_type = TicketTypeFactory(price=Decimal("2500"), quantity=100)
    orders = [place_order({ticket_type: 2}, email=f"b{n}@example.kz") for n in range(BUYERS)]
    wins, losses = race(BUYERS, lambda n: pay(orders[n]).status)
    assert not losses, losses
    assert set(wins) == {"paid"}
    day = EventSalesDay.objects.get(event=ticket_type.session.event)
    assert (day.orders, day.gross) == (BUYERS, Decimal("5000") * BUYERS)
    tickets = TicketSalesDay.objects.get(ticket_type=ticket_type)
    assert (tickets.sold, tickets.revenue) == (2 * BUYERS, Decimal("5000") * BUYERS)
    organizer_day = OrganizerSalesDay.objects.get(organizer=ticket_type.session.event.organizer)
    assert (organizer_day.orders, organizer_day.sold) == (BUYERS, 2 * BUYERS)
    assert sales_summary_recount() == []


def test_concurrent_payments_for_several_events_of_one_organizer_all_count():
    """Each payment adds to its event's row, then to the organizer's row of the day they all
    share: they wait for each other there, in one order, and none is lost or deadlocked."""
    first = TicketTypeFactory(price=Decimal("1000"), quantity=100)
    organizer = first.session.event.organizer
    types = [first] + [
        TicketTypeFactory(
            session=SessionFactory(event__organizer=organizer),
            price=Decimal("1000"),
            quantity=100,
        )
        for _n in range(3)
    ]
    orders = [place_order({types[n % 4]: 1}, email=f"e{n}@example.kz") for n in range(BUYERS)]
    wins, losses = race(BUYERS, lambda n: pay(orders[n]).status)
    assert not losses, losses
    assert set(wins) == {"paid"}
    day = OrganizerSalesDay.objects.get(organizer=organizer)
    assert (day.orders, day.gross, day.sold) == (BUYERS, Decimal("1000") * BUYERS, BUYERS)
    assert EventSalesDay.objects.filter(organizer=organizer).count() == 4
    assert sales_summary_recount() == []


def test_concurrent_refunds_and_payments_keep_the_totals_right():
    ticket_type = TicketTypeFactory(price=Decimal("1000"), quantity=100)
    paid = [pay(place_order({ticket_type: 1}, email=f"p{n}@example.kz")) for n in range(6)]
    pending = [place_order({ticket_type: 1}, email=f"q{n}@example.kz") for n in range(6)]

    def attempt(n: int) -> object:
        if n % 2:
            return order_refund(order_id=paid[n // 2].pk, actor=Actor(label="organizer")).status
        return pay(pending[n // 2]).status

    wins, losses = race(12, attempt)
    assert not losses, losses
    assert sorted(wins) == ["paid"] * 6 + ["refunded"] * 6
    tickets = TicketSalesDay.objects.get(ticket_type=ticket_type)
    assert (tickets.sold, tickets.refunded) == (6, 6)
    day = EventSalesDay.objects.get(event=ticket_type.session.event)
    assert (day.orders, day.gross, day.refunds) == (12, Decimal("12000"), Decimal("6000"))
    assert sales_summary_recount() == []

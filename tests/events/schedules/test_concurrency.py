"""Buyers racing for the last places of one slot on PostgreSQL: the places the slot's ticket
types share are never sold twice, whichever types the buyers choose."""

import pytest
from django.db import connection

from events.models import CapacityPool, TicketType
from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import _rule
from tests.tickets.factories import new_token
from tests.tickets.race import race
from tickets.errors import SoldOut
from tickets.models import Reservation
from tickets.services.cart import cart_set_quantities

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BUYERS = 40


def _slot(settings, **rule):
    settings.SCHEDULES_HORIZON_DAYS = 1
    templates = [
        {"name_ru": "Взрослый", "name_en": "Adult", "price": 2000},
        {"name_ru": "Детский", "name_en": "Child", "price": 1000},
        {"name_ru": "С гидом", "name_en": "Guided", "price": 3000, "uses_resource": True},
    ]
    schedule, _report = schedule_create(
        event=ServiceFactory(), data=_rule(**rule), ticket_types=templates
    )
    slot = schedule.slots.order_by("starts_at").first()
    return slot, {t.name_en: t.pk for t in slot.ticket_types.all()}


def test_last_places_of_a_slot_go_to_exactly_as_many_buyers_as_are_left(settings):
    assert connection.vendor == "postgresql"
    slot, types = _slot(settings, capacity=5)
    names = ["Adult", "Child", "Guided"]
    wins, losses = race(
        BUYERS,
        lambda n: cart_set_quantities(cart_token=new_token(), quantities={types[names[n % 3]]: 1}),
    )
    assert len(wins) == 5
    assert all(isinstance(exc, SoldOut) for _n, exc in losses), losses
    pool = CapacityPool.objects.get(session=slot, kind="slot")
    assert (pool.taken, pool.capacity) == (5, 5)
    assert (
        sum(TicketType.objects.filter(session=slot).values_list("quantity_taken", flat=True)) == 5
    )
    held = Reservation.objects.filter(released_at__isnull=True, ticket_type__session=slot)
    assert sum(held.values_list("quantity", flat=True)) == 5


def test_a_shared_resource_is_never_overbooked(settings):
    slot, types = _slot(settings, capacity=30, resource_name="Гид", resource_capacity=3)
    wins, losses = race(
        BUYERS,
        lambda n: cart_set_quantities(cart_token=new_token(), quantities={types["Guided"]: 1}),
    )
    assert len(wins) == 3
    assert all(isinstance(exc, SoldOut) for _n, exc in losses), losses
    taken = dict(CapacityPool.objects.filter(session=slot).values_list("kind", "taken"))
    assert taken == {"slot": 3, "resource": 3}
    assert TicketType.objects.get(pk=types["Guided"]).quantity_taken == 3

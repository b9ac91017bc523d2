"""Places of a slot shared by its ticket types, and a shared resource limiting some of them:
the same counters as events, all or nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import CapacityPool, TicketType
from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import _rule
from tickets.errors import SoldOut
from tickets.services.inventory import inventory_return, inventory_take

pytestmark = pytest.mark.django_db


def _slot_types(settings, **rule):
    settings.SCHEDULES_HORIZON_DAYS = 1
    templates = [
        {"name_ru": "Взрослый", "name_en": "Adult", "price": 2000},
        {"name_ru": "Детский", "name_en": "Child", "price": 1000},
        {"name_ru": "С гидом", "name_en": "Guided", "price": 3000, "uses_resource": True},
    ]
    schedule, _report = schedule_create(
        event=ServiceFactory(), data=_rule(**rule), ticket_types=templates
    )
    # tomorrow's first slot (10:00), whatever the time of the run: today's may be under way or
    # past, or the day's last, and a day whose only slot is full is not offered on the page
    tomorrow = timezone.localdate() + timedelta(days=1)
    slot = next(
        s
        for s in schedule.slots.order_by("starts_at")
        if timezone.localtime(s.starts_at).date() == tomorrow
    )
    return {t.name_en: t for t in slot.ticket_types.all()}, slot


def _taken(slot):
    return dict(CapacityPool.objects.filter(session=slot).values_list("kind", "taken"))


def test_ticket_types_of_a_slot_share_its_places(settings):
    types, slot = _slot_types(settings, capacity=3)
    inventory_take(ticket_type_id=types["Adult"].pk, quantity=2)
    with pytest.raises(SoldOut):
        inventory_take(ticket_type_id=types["Child"].pk, quantity=2)
    assert TicketType.objects.get(pk=types["Child"].pk).quantity_taken == 0  # nothing half taken
    inventory_take(ticket_type_id=types["Child"].pk, quantity=1)
    assert _taken(slot) == {"slot": 3}
    inventory_return(ticket_type_id=types["Adult"].pk, quantity=1)
    assert _taken(slot) == {"slot": 2}
    assert TicketType.objects.get(pk=types["Adult"].pk).quantity_taken == 1


def test_a_shared_resource_limits_only_the_types_that_use_it(settings):
    types, slot = _slot_types(settings, capacity=10, resource_name="Гид", resource_capacity=2)
    inventory_take(ticket_type_id=types["Guided"].pk, quantity=2)
    with pytest.raises(SoldOut):
        inventory_take(ticket_type_id=types["Guided"].pk, quantity=1)
    inventory_take(ticket_type_id=types["Adult"].pk, quantity=5)
    assert _taken(slot) == {"slot": 7, "resource": 2}
    assert TicketType.objects.get(pk=types["Guided"].pk).quantity_taken == 2
    inventory_return(ticket_type_id=types["Guided"].pk, quantity=2)
    assert _taken(slot) == {"slot": 5, "resource": 0}


def test_a_plain_event_type_is_not_pooled(settings):
    from tests.factories import TicketTypeFactory

    ticket_type = TicketTypeFactory(quantity=2)
    inventory_take(ticket_type_id=ticket_type.pk, quantity=2)
    with pytest.raises(SoldOut):
        inventory_take(ticket_type_id=ticket_type.pk, quantity=1)
    ticket_type.refresh_from_db()
    assert (ticket_type.quantity_taken, ticket_type.is_pooled) == (2, False)

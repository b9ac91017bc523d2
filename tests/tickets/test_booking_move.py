"""The front desk moves a service's booking to another slot: places move with it through the
same counters, the buyer gets the tickets again, and a move that does not fit is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import CapacityPool
from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.tickets.delivery_helpers import paid_order, staff_of
from tickets.errors import SoldOut
from tickets.models import EmailDelivery, OrderItem, OrderLog
from tickets.services.booking_move import BookingMoveRefused, order_move_to_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def slots(settings):
    settings.SCHEDULES_HORIZON_DAYS = 4
    schedule, _report = schedule_create(
        event=ServiceFactory(), data=_rule(times="10:00", capacity=3), ticket_types=TEMPLATES
    )
    soon = timezone.now() + timedelta(hours=24)
    return [s for s in schedule.slots.order_by("starts_at") if s.starts_at > soon]


def _adult(slot):
    return slot.ticket_types.get(name_en="Adult")


def _taken(slot):
    return CapacityPool.objects.get(session=slot, kind="slot").taken


def test_a_booking_moves_with_its_places(slots):
    first, second = slots[0], slots[1]
    order = paid_order(_adult(first), quantity=2)
    order_move_to_slot(order_id=order.pk, session_id=second.pk)
    assert set(OrderItem.objects.filter(order=order).values_list("ticket_type", flat=True)) == {
        _adult(second).pk
    }
    assert (_taken(first), _taken(second)) == (0, 2)
    assert (_adult(first).quantity_taken, _adult(second).quantity_taken) == (0, 2)
    assert OrderLog.objects.filter(order=order, note__startswith="Moved from").exists()
    assert EmailDelivery.objects.filter(order=order, kind="session_moved").exists()


def test_a_full_slot_refuses_the_move_and_nothing_changes(slots):
    first, second = slots[0], slots[1]
    order = paid_order(_adult(first), quantity=2)
    paid_order(_adult(second), quantity=2, email="other@example.kz")
    with pytest.raises(SoldOut):
        order_move_to_slot(order_id=order.pk, session_id=second.pk)
    assert (_taken(first), _taken(second)) == (2, 2)
    assert OrderItem.objects.filter(order=order, ticket_type=_adult(first)).count() == 2


def test_a_used_ticket_or_another_event_refuses_the_move(slots):
    order = paid_order(_adult(slots[0]), quantity=1)
    other = paid_order(quantity=1)
    with pytest.raises(BookingMoveRefused):
        order_move_to_slot(order_id=order.pk, session_id=other.items.first().ticket_type.session_id)
    OrderItem.objects.filter(order=order).update(checked_in_at=timezone.now())
    with pytest.raises(BookingMoveRefused):
        order_move_to_slot(order_id=order.pk, session_id=slots[1].pk)


def test_the_front_desk_moves_a_booking_from_the_order_page(client, slots):
    order = paid_order(_adult(slots[0]), quantity=1)
    organizer = order.event.organizer
    client.force_login(staff_of(organizer, role="manager"))
    page = client.get(reverse("tickets:cabinet_order", args=[organizer.slug, order.code]))
    assert f'<option value="{slots[1].pk}">' in page.content.decode()
    response = client.post(
        reverse("tickets:cabinet_order_move", args=[organizer.slug, order.code]),
        {"session": slots[1].pk},
        follow=True,
    )
    assert response.status_code == 200
    assert order.items.get().ticket_type.session_id == slots[1].pk
    bad = client.post(
        reverse("tickets:cabinet_order_move", args=[organizer.slug, order.code]),
        {"session": "x"},
        follow=True,
    )
    assert [str(m) for m in bad.context["messages"]]
    assert order.items.get().ticket_type.session_id == slots[1].pk

"""The demo seated concert: a 500-seat hall, loaded once however often the seed runs."""

import pytest
from django.core.management import call_command

from events.models import Event, SeatMap, SessionSeatBlock, TicketType

pytestmark = pytest.mark.django_db


def test_demo_seating_makes_a_500_seat_concert_once():
    call_command("seed_demo")
    call_command("seed_demo_seating")
    call_command("seed_demo_seating")
    event = Event.objects.get(slug="symphony-evening-almaty")
    (seat_map,) = SeatMap.objects.all()
    assert seat_map.seats.count() == 500
    assert event.sessions.count() == 2
    first = event.sessions.first()
    assert SessionSeatBlock.objects.filter(session=first).count() == 3
    quantities = dict(TicketType.objects.filter(session=first).values_list("name_ru", "quantity"))
    assert quantities == {"VIP": 87, "Партер": 270, "Балкон": 140}

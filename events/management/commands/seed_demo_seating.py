"""Idempotent demo of reserved seating: a 500-seat hall and a concert sold by its seats.

Runs after ``seed_demo`` (it needs the demo organizer and cities). Running it again changes
nothing: the event is found by its slug.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events.demo.posters import demo_event_dress
from events.models import Category, City, Event, Session, Venue
from events.seating.layouts import ROW_STEP, SEAT_STEP, Layout, generate_block, generate_rows
from events.seating.services import (
    seat_category_names_save,
    seat_map_create,
    session_seating_set,
    session_seats_block,
)
from organizers.models import Organizer

EVENT_SLUG = "symphony-evening-almaty"
PRICES = {"VIP": Decimal("25000"), "Партер": Decimal("12000"), "Балкон": Decimal("6000")}
# The categories' Kazakh and English names (the layout names them in Russian).
CATEGORY_NAMES = {
    "VIP": {"kk": "VIP", "en": "VIP"},
    "Партер": {"kk": "Партер", "en": "Stalls"},
    "Балкон": {"kk": "Балкон", "en": "Balcony"},
}
BALCONY_ROWS = "1 26\n2 27\n3 28\n4 29\n5 30"


def demo_hall_layout() -> Layout:
    """A VIP block of 3 rows × 30 seats in front of 9 rows of stalls (its own section, so a VIP
    seat reads “VIP, ряд 1, место 5”, not “Партер”) and a five-row balcony: 500 seats."""
    seats = generate_block(section="VIP", category="VIP", rows=3, seats_per_row=30)
    seats += generate_block(
        section="Партер",
        category="Партер",
        rows=9,
        seats_per_row=30,
        first_row=4,
        origin_y=3 * ROW_STEP + SEAT_STEP,  # room for the section's name between the blocks
        stagger=True,
    )
    seats += generate_rows(
        section="Балкон",
        category="Балкон",
        rows_text=BALCONY_ROWS,
        origin_y=13 * ROW_STEP + 3 * SEAT_STEP,
    )
    return Layout(seats=seats)


class Command(BaseCommand):
    help = "Load the demo seated concert (a 500-seat hall) for the embedded default."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        existing = Event.objects.filter(slug=EVENT_SLUG).select_related("organizer").first()
        if existing is not None:
            demo_event_dress(existing)
            self.stdout.write("Demo seating ready (nothing new).")
            return
        organizer = Organizer.objects.filter(slug="dombra-live").first()
        city = City.objects.filter(slug="almaty").first()
        category = Category.objects.filter(slug="concerts").first()
        if organizer is None or city is None or category is None:
            raise CommandError("Run seed_demo first.")
        venue, _created = Venue.objects.get_or_create(
            name="Казахконцерт",
            city=city,
            defaults={"address": "ул. Айтеке би, 83", "organizer": organizer},
        )
        seat_map = seat_map_create(
            organizer=organizer, venue=venue, name="Большой зал", layout=demo_hall_layout()
        )
        event = Event.objects.create(
            slug=EVENT_SLUG,
            organizer=organizer,
            category=category,
            venue=venue,
            status=Event.Status.PUBLISHED,
            published_at=timezone.now(),
            title_ru="Симфонический вечер",
            title_kk="Симфониялық кеш",
            title_en="Symphony Evening",
        )
        demo_event_dress(event)
        today = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
        seat_category_names_save(
            seat_map=seat_map,
            names={
                c.pk: {"ru": c.name_ru, **CATEGORY_NAMES[c.name_ru]}
                for c in seat_map.categories.all()
            },
        )
        prices = {c.pk: PRICES[c.name_ru] for c in seat_map.categories.all()}
        for day in (18, 25):
            starts_at = today + timedelta(days=day)
            session = Session.objects.create(
                event=event,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                doors_open_at=starts_at - timedelta(hours=1),
            )
            session_seating_set(session=session, seat_map=seat_map, prices=prices)
        guests = seat_map.seats.filter(section="VIP", row="1", number__in=["14", "15", "16"])
        session_seats_block(
            session=event.sessions.first(), seat_ids=[s.pk for s in guests], reason="guests"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo seating ready: “{event.title_ru}”, {seat_map.seats.count()} seats."
            )
        )

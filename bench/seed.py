"""Bulk data for the page benchmarks: ``python -m bench.seed --events N`` (bench database).

Adds published events until there are N, each with one session and one ticket type, plus one
event ``bench-event`` with 5 sessions × 5 ticket types (the event page that is measured).
"""

from __future__ import annotations

import argparse
import os
from datetime import timedelta
from decimal import Decimal


def bench_event() -> dict:
    """The bench's city, category, venue, organizer and ``bench-event`` (5 sessions × 5 ticket
    types), made once; returns the fields every further bench event shares. Call after
    ``django.setup()``."""
    from django.db import transaction
    from django.utils import timezone

    from events.models import Category, City, Event, Session, TicketType, Venue
    from organizers.models import Organizer

    with transaction.atomic():
        city, _ = City.objects.get_or_create(slug="almaty", defaults={"name_ru": "Алматы"})
        category, _ = Category.objects.get_or_create(
            slug="concerts", defaults={"name_ru": "Концерты"}
        )
        venue, _ = Venue.objects.get_or_create(
            name="Bench Hall", city=city, defaults={"address": "пр. Абая, 1"}
        )
        organizer, _ = Organizer.objects.get_or_create(
            slug="bench-organizer",
            defaults={
                "public_name": "Bench",
                "kind": Organizer.Kind.TOO,
                "legal_name": "ТОО Bench",
                "bin_iin": "180240021346",
                "legal_address": "Алматы",
                "iban": "KZ86125KZT5004100100",
                "bank_name": "Bank",
                "bik": "KCJBKZKX",
                "contact_person": "Bench",
                "phone": "+77011234567",
                "email": "bench@example.kz",
                "status": Organizer.Status.VERIFIED,
            },
        )
        now = timezone.now()
        common = {
            "organizer": organizer,
            "category": category,
            "venue": venue,
            "status": Event.Status.PUBLISHED,
            "published_at": now,
        }
        if not Event.objects.filter(slug="bench-event").exists():
            event = Event.objects.create(slug="bench-event", title_ru="Бенчмарк", **common)
            for s in range(5):
                session = Session.objects.create(event=event, starts_at=now + timedelta(days=5 + s))
                TicketType.objects.bulk_create(
                    TicketType(
                        session=session,
                        name_ru=f"Категория {t}",
                        name=f"Категория {t}",
                        price=Decimal(1000 * (t + 1)),
                        quantity=100,
                        position=t,
                    )
                    for t in range(5)
                )
    return common


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventum.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from events.models import Event, Session, TicketType
    from events.upcoming import upcoming_refresh

    common = bench_event()
    now = timezone.now()
    with transaction.atomic():
        existing = Event.objects.count()
        missing = max(args.events - existing, 0)
        batch = 2000
        for start in range(0, missing, batch):
            size = min(batch, missing - start)
            events = Event.objects.bulk_create(
                Event(
                    slug=f"bench-{existing + start + i}",
                    title_ru=f"Событие {existing + start + i}",
                    title=f"Событие {existing + start + i}",
                    **common,
                )
                for i in range(size)
            )
            sessions = Session.objects.bulk_create(
                Session(event=e, starts_at=now + timedelta(days=1 + (e.pk % 300))) for e in events
            )
            TicketType.objects.bulk_create(
                TicketType(
                    session=s,
                    name_ru="Стандарт",
                    name="Стандарт",
                    price=Decimal(5000),
                    quantity=100,
                )
                for s in sessions
            )
            upcoming_refresh(event_ids=[e.pk for e in events])  # bulk rows send no signals
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh bulk rows: give the planner real statistics
    print(f"events: {Event.objects.count()}")


if __name__ == "__main__":
    main()

"""Fresh ticket types for on-sale rushes: ``python -m bench.seed_rush --price P --quantity M``.

Each ``--price``/``--quantity`` pair (repeatable, in order) gets its own event and prints a line
``<session id> <ticket type id> <event slug>``. Runs with the bench settings.
"""

from __future__ import annotations

import argparse
import os
import uuid
from datetime import timedelta
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--price", type=Decimal, action="append", required=True)
    parser.add_argument("--quantity", type=int, action="append", required=True)
    args = parser.parse_args()
    if len(args.price) != len(args.quantity):
        parser.error("give as many --quantity as --price")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventum.settings")
    import django

    django.setup()
    from django.utils import timezone

    from events.models import Event, Session, TicketType

    template = Event.objects.get(slug="bench-event")
    for price, quantity in zip(args.price, args.quantity, strict=True):
        slug = f"rush-{uuid.uuid4().hex[:10]}"
        event = Event.objects.create(
            slug=slug,
            title_ru="Старт продаж",
            title="Старт продаж",
            organizer=template.organizer,
            category=template.category,
            venue=template.venue,
            status=Event.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        session = Session.objects.create(event=event, starts_at=timezone.now() + timedelta(days=30))
        ticket_type = TicketType.objects.create(
            session=session,
            name_ru="Танцпол",
            name="Танцпол",
            price=price,
            quantity=quantity,
            max_per_order=1,
        )
        print(session.pk, ticket_type.pk, slug)


if __name__ == "__main__":
    main()

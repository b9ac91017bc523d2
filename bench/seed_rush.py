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


def ticket_type_on_sale(
    *,
    title: str,
    ticket_name: str,
    price: Decimal,
    quantity: int,
    max_per_order: int,
    days_ahead: int,
):
    """A published event on the bench event's organizer and venue, one session, one ticket type.

    Call after ``django.setup()``.
    """
    from django.utils import timezone

    from events.models import Event, Session, TicketType

    template = Event.objects.get(slug="bench-event")
    event = Event.objects.create(
        slug=f"bench-{uuid.uuid4().hex[:10]}",
        title_ru=title,
        title=title,
        organizer=template.organizer,
        category=template.category,
        venue=template.venue,
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    session = Session.objects.create(
        event=event, starts_at=timezone.now() + timedelta(days=days_ahead)
    )
    return TicketType.objects.create(
        session=session,
        name_ru=ticket_name,
        name=ticket_name,
        price=price,
        quantity=quantity,
        max_per_order=max_per_order,
    )


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
    for price, quantity in zip(args.price, args.quantity, strict=True):
        ticket_type = ticket_type_on_sale(
            title="Старт продаж",
            ticket_name="Танцпол",
            price=price,
            quantity=quantity,
            max_per_order=1,
            days_ahead=30,
        )
        print(ticket_type.session_id, ticket_type.pk, ticket_type.session.event.slug)


if __name__ == "__main__":
    main()

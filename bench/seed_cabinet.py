"""Organizers for the cabinet benchmark: ``python -m bench.seed_cabinet --events E --orders N``.

Makes (once) an organizer ``bench-cabinet-<E>-<N>`` with E published events (one session and
one ticket type each) and N orders spread over them and over the last year: paid mostly, some
refunded, pending or expired, one ticket each. Rows go in by bulk inserts, not the checkout
path: it is the cabinet's reading that is measured, and a million checkouts would take hours;
their placing times are spread by one ``UPDATE`` at the end (PostgreSQL), not row by row.
Prints the organizer's slug and its owner's e-mail.
"""

from __future__ import annotations

import argparse
import os
import secrets
from datetime import timedelta
from decimal import Decimal

BATCH = 5000
STATUSES = ("paid",) * 16 + ("refunded", "pending", "expired", "cancelled")


def seed(*, events: int, orders: int) -> tuple[str, str]:
    """The organizer ``bench-cabinet-<events>-<orders>`` (made if missing); its slug and the
    owner's e-mail."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from events.models import Category, City, Event, Session, TicketType, Venue
    from organizers.models import Membership, Organizer
    from tickets.models import Order, OrderItem
    from tickets.reports.services.sales_summary import sales_summary_recount

    slug = f"bench-cabinet-{events}-{orders}"
    email = f"{slug}@example.kz"
    if Organizer.objects.filter(slug=slug).exists():
        return slug, email
    with transaction.atomic():
        city, _ = City.objects.get_or_create(slug="almaty", defaults={"name_ru": "Алматы"})
        category, _ = Category.objects.get_or_create(
            slug="concerts", defaults={"name_ru": "Концерты"}
        )
        venue, _ = Venue.objects.get_or_create(
            name="Bench Hall", city=city, defaults={"address": "пр. Абая, 1"}
        )
        organizer = Organizer.objects.create(
            slug=slug,
            public_name=f"Cabinet {events}/{orders}",
            kind=Organizer.Kind.TOO,
            legal_name="ТОО Bench",
            bin_iin="180240021346",
            legal_address="Алматы",
            iban="KZ86125KZT5004100100",
            bank_name="Bank",
            bik="KCJBKZKX",
            contact_person="Bench",
            phone="+77011234567",
            email="bench@example.kz",
            status=Organizer.Status.VERIFIED,
        )
        owner = get_user_model().objects.create_user(
            username=email, email=email, password=secrets.token_urlsafe(12)
        )
        Membership.objects.create(organizer=organizer, user=owner, role=Membership.Role.OWNER)
        now = timezone.now()
        made_events: list[Event] = []
        for start in range(0, events, BATCH):
            made_events += Event.objects.bulk_create(
                Event(
                    organizer=organizer,
                    category=category,
                    venue=venue,
                    status=Event.Status.PUBLISHED,
                    published_at=now,
                    slug=f"{slug}-{i}",
                    title_ru=f"Концерт {i}",
                    title=f"Концерт {i}",
                )
                for i in range(start, min(start + BATCH, events))
            )
        sessions = Session.objects.bulk_create(
            Session(event=e, starts_at=now + timedelta(days=1 + e.pk % 300)) for e in made_events
        )
        ticket_types = TicketType.objects.bulk_create(
            TicketType(
                session=s, name_ru="Стандарт", name="Стандарт", price=Decimal(5000), quantity=10**6
            )
            for s in sessions
        )
    year = timedelta(days=365).total_seconds()
    for start in range(0, orders, BATCH):
        with transaction.atomic():
            batch = []
            for n in range(start, min(start + BATCH, orders)):
                ticket_type = ticket_types[(n * 7919) % len(ticket_types)]
                status = STATUSES[n % len(STATUSES)]
                batch.append(
                    Order(
                        code=f"B{events % 1000:03d}{n:08d}"[:12],
                        secret=secrets.token_urlsafe(24),
                        idempotency_key=f"{slug}-{n}",
                        event_id=ticket_type.session.event_id,
                        organizer=organizer,
                        status=status,
                        surname="Бенчев",
                        name=f"Покупатель{n}",
                        phone=f"+7701{n % 10**7:07d}",
                        email=f"buyer{n}@example.kz",
                        subtotal=Decimal(5000),
                        total=Decimal(5000),
                        refunded_amount=Decimal(5000) if status == "refunded" else Decimal(0),
                        paid_at=now if status in ("paid", "refunded") else None,
                    )
                )
            made = Order.objects.bulk_create(batch)
            OrderItem.objects.bulk_create(
                OrderItem(
                    order=order,
                    ticket_type_id=ticket_types[(start + i) * 7919 % len(ticket_types)].pk,
                    price=Decimal(5000),
                    amount=Decimal(5000),
                    status="refunded" if order.status == "refunded" else "valid",
                )
                for i, order in enumerate(made)
            )
    _orders_back_date(organizer_id=organizer.pk, now=now, year_seconds=int(year))
    sales_summary_recount(fix=True)  # the orders were written directly, not sold
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh bulk rows: give the planner real statistics
    return slug, email


def _orders_back_date(*, organizer_id: int, now, year_seconds: int) -> None:
    """Spread the organizer's orders over the last year (``auto_now_add`` wrote "now"): one
    ``UPDATE`` for all of them, not a row at a time, so a million orders take seconds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_order"
            " SET created_at = %(now)s - ((id * 104729) %% %(year)s) * INTERVAL '1 second',"
            " paid_at = CASE WHEN paid_at IS NULL THEN NULL"
            " ELSE %(now)s - ((id * 104729) %% %(year)s) * INTERVAL '1 second' END"
            " WHERE organizer_id = %(organizer)s",
            {"now": now, "year": year_seconds, "organizer": organizer_id},
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--orders", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventum.settings")
    import django

    django.setup()
    slug, email = seed(events=args.events, orders=args.orders)
    print(f"organizer: {slug} (owner {email})")


if __name__ == "__main__":
    main()

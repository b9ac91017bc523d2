"""Idempotent demo orders so the organizer's dashboard has something to show after ``make run``.

Gives the demo organizer (Dombra Live) two more events (one already played, with check-ins)
and writes a few hundred orders over the last four weeks across the demo events: paid, refunded
in full or in part, free registrations, some with the demo promo code, some buyers with
marketing consent. Written in bulk (a few seconds); an event that already has demo orders is
left alone, so running it again changes nothing.
"""

import random
import secrets
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from events.models import Event, Session, TicketType
from privacy.services import consent_record
from tickets.models import CheckIn, Order, OrderItem, OrderLog, Payment, PromoCode, Refund
from tickets.reports.services.sales_summary import sales_summary_recount

DEMO_ORGANIZER_EVENT = "dombra-night-almaty"
MORE_EVENTS = [
    # slug, titles (ru, kk, en), days from today, ticket types (names, price, quantity)
    (
        "dombra-jazz-astana",
        ("Домбыра и джаз", "Домбыра мен джаз", "Dombra and Jazz"),
        30,
        [
            (("Партер", "Партер", "Stalls"), "15000", 150),
            (("Балкон", "Балкон", "Balcony"), "9000", 100),
        ],
    ),
    (
        "kui-evening-almaty",
        ("Вечер кюев", "Күй кеші", "An Evening of Kuis"),
        -3,
        [(("Входной", "Кіру", "Entry"), "6000", 200)],
    ),
]
ORDERS_PER_EVENT = {"dombra-live": 110, "other": 30}
SURNAMES = ["Ахметов", "Садыкова", "Нурланов", "Ким", "Жумабаева", "Иванова", "Сейткали", "Омаров"]
NAMES = ["Айгерим", "Ержан", "Дана", "Алихан", "Мария", "Тимур", "Асель", "Нурлан"]
MARKETING_WORDING = "Согласен получать новости и рекламу организатора (демо)."


def _translated(prefix: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {f"{prefix}_{code}": text for code, text in zip(("ru", "kk", "en"), values, strict=True)}


class Command(BaseCommand):
    help = "A few hundred idempotent demo orders for the organizer dashboard (after seed_demo)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        base = Event.objects.select_related("organizer").filter(slug=DEMO_ORGANIZER_EVENT).first()
        if base is None:
            self.stdout.write("seed_demo_orders: run seed_demo first; nothing to do.")
            return
        for slug, titles, days, ticket_types in MORE_EVENTS:
            self._event(base, slug, titles, days, ticket_types)
        rng = random.Random(8)
        made = 0
        for event in (
            Event.objects.select_related("organizer")
            .filter(organizer__slug__in=["dombra-live", "astana-stage", "tech-steppe"])
            .order_by("id")
        ):
            if Order.objects.filter(event=event, idempotency_key__startswith="demo-").exists():
                continue
            count = ORDERS_PER_EVENT.get(event.organizer.slug, ORDERS_PER_EVENT["other"])
            made += self._orders(event, count, rng)
        sales_summary_recount(fix=True)  # the demo orders were written directly, not sold
        self.stdout.write(f"seed_demo_orders: {made} demo orders.")

    def _event(self, base: Event, slug: str, titles, days: int, ticket_types) -> None:
        if Event.objects.filter(slug=slug).exists():
            return
        event = Event.objects.create(
            slug=slug,
            organizer=base.organizer,
            category=base.category,
            venue=base.venue,
            status=Event.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=30),
            **_translated("title", titles),
            **_translated("description", ("Демо-событие.", "Демо-іс-шара.", "A demo event.")),
        )
        starts_at = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
        starts_at += timedelta(days=days)
        session = Session.objects.create(
            event=event, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)
        )
        for position, (names, price, quantity) in enumerate(ticket_types):
            TicketType.objects.create(
                session=session,
                price=Decimal(price),
                quantity=quantity,
                position=position,
                sale_ends_at=starts_at,
                **_translated("name", names),
            )

    def _orders(self, event: Event, count: int, rng: random.Random) -> int:
        ticket_types = list(
            TicketType.objects.filter(session__event=event).select_related("session")
        )
        if not ticket_types:
            return 0
        stock = {tt.pk: tt.quantity - tt.quantity_taken for tt in ticket_types}
        promo = PromoCode.objects.filter(event=event, is_active=True).first()
        now = timezone.now()
        planned = []
        for n in range(count):
            tt = rng.choice(ticket_types)
            quantity = min(rng.choice([1, 1, 2, 2, 2, 3, 4]), stock[tt.pk])
            if quantity <= 0:
                continue
            stock[tt.pk] -= quantity
            roll = rng.random()
            fate = (
                "refunded" if roll < 0.07 else "partial" if roll < 0.12 and quantity > 1 else "paid"
            )
            with_promo = promo is not None and tt.price > 0 and rng.random() < 0.2
            discount = (tt.price * promo.value / 100).quantize(Decimal("0.01")) if with_promo else 0
            paid_at = now - timedelta(days=rng.randint(0, 27), minutes=rng.randint(0, 900))
            surname, name = rng.choice(SURNAMES), rng.choice(NAMES)
            planned.append(
                (n, tt, quantity, fate, with_promo, Decimal(discount), paid_at, surname, name)
            )
        orders = []
        for n, tt, quantity, fate, with_promo, discount, paid_at, surname, name in planned:
            subtotal = tt.price * quantity
            total = subtotal - discount * quantity
            refunded = (
                total if fate == "refunded" else (tt.price - discount) if fate == "partial" else 0
            )
            orders.append(
                Order(
                    code=f"D{event.pk:03d}{n:04d}"[:12],
                    secret=secrets.token_urlsafe(32),
                    idempotency_key=f"demo-{event.pk}-{n}",
                    event=event,
                    organizer_id=event.organizer_id,
                    status=Order.Status.REFUNDED if fate == "refunded" else Order.Status.PAID,
                    surname=surname,
                    name=name,
                    phone=f"+7701{rng.randint(1000000, 9999999)}",
                    email=f"demo.buyer{event.pk}.{n}@example.kz",
                    subtotal=subtotal,
                    discount=discount * quantity,
                    total=total,
                    refunded_amount=refunded,
                    promo_code=promo if with_promo else None,
                    marketing_consent=rng.random() < 0.4,
                    paid_at=paid_at,
                )
            )
        Order.objects.bulk_create(orders)
        saved = {
            o.idempotency_key: o
            for o in Order.objects.filter(event=event, idempotency_key__startswith="demo-")
        }
        # created_at is auto_now_add: move it back to when the order was paid
        items, logs, payments, refunds, taken, promo_uses = [], [], [], [], {}, 0
        for order_plan, order in zip(planned, orders, strict=True):
            n, tt, quantity, fate, with_promo, discount, paid_at = order_plan[:7]
            order = saved[order.idempotency_key]
            Order.objects.filter(pk=order.pk).update(created_at=paid_at - timedelta(minutes=5))
            promo_uses += int(with_promo)
            for index in range(quantity):
                refunded = fate == "refunded" or (fate == "partial" and index == 0)
                items.append(
                    OrderItem(
                        order=order,
                        ticket_type=tt,
                        price=tt.price,
                        discount=discount,
                        amount=tt.price - discount,
                        status=OrderItem.Status.REFUNDED if refunded else OrderItem.Status.VALID,
                    )
                )
                if not refunded:
                    taken[tt.pk] = taken.get(tt.pk, 0) + 1
            logs.append(
                OrderLog(
                    order=order,
                    from_status="pending",
                    to_status="paid",
                    actor_label="test provider",
                )
            )
            if order.total > 0:
                payments.append(
                    Payment(
                        order=order,
                        provider="test",
                        amount=order.total,
                        status=Payment.Status.SUCCEEDED,
                        provider_transaction_id=f"demo-{order.code}",
                        completed_at=paid_at,
                    )
                )
            if fate != "paid":
                refunds.append(
                    Refund(
                        order=order,
                        amount=order.refunded_amount,
                        reason="демо",
                        provider_refund_id=f"demo-r-{order.code}",
                    )
                )
                logs.append(
                    OrderLog(
                        order=order,
                        from_status="paid",
                        to_status="refunded" if fate == "refunded" else "paid",
                        actor_label="organizer",
                        note="демо-возврат",
                    )
                )
        OrderItem.objects.bulk_create(items, batch_size=500)
        OrderLog.objects.bulk_create(logs, batch_size=500)
        Payment.objects.bulk_create(payments, batch_size=500)
        Refund.objects.bulk_create(refunds, batch_size=500)
        for tt_id, quantity in taken.items():
            TicketType.objects.filter(pk=tt_id).update(
                quantity_taken=F("quantity_taken") + quantity
            )
        if promo is not None and promo_uses:
            PromoCode.objects.filter(pk=promo.pk).update(times_used=F("times_used") + promo_uses)
        for order in saved.values():
            if order.marketing_consent:
                consent_record(
                    purpose="marketing",
                    action="given",
                    wording=MARKETING_WORDING,
                    channel="site",
                    email=order.email,
                    phone=order.phone,
                    source=f"order:{order.code}",
                )
        self._check_in(event)
        return len(orders)

    def _check_in(self, event: Event) -> None:
        """Tickets of a session already played were mostly scanned at the door."""
        past = Session.objects.filter(event=event, starts_at__lt=timezone.now())
        items = OrderItem.objects.filter(
            ticket_type__session__in=past,
            status=OrderItem.Status.VALID,
            order__status=Order.Status.PAID,
        ).select_related("ticket_type__session")
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    item=item,
                    session=item.ticket_type.session,
                    checked_in_at=item.ticket_type.session.starts_at - timedelta(minutes=20),
                    scanner_label="demo",
                )
                for index, item in enumerate(items)
                if index % 5
            ],
            batch_size=500,
        )

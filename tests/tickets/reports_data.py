"""Known sales for the dashboard, payout, export and message tests, built through the services."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from organizers.models import Membership
from tests.factories import MembershipFactory, SessionFactory, TicketTypeFactory
from tests.tickets.factories import PromoCodeFactory
from tests.tickets.flows import place_order
from tickets.models import CheckIn, Order
from tickets.payments.services import payment_complete, payment_start
from tickets.reports.services.sales_summary import sales_summary_recount
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor


def pay(order: Order) -> Order:
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


def paid_order(quantities: dict, **kwargs) -> Order:
    order = place_order(quantities, **kwargs)
    return order if order.status == Order.Status.PAID else pay(order)


@dataclass
class Sales:
    organizer: object
    event: object
    other_event: object
    tt1: object
    tt2: object
    tt3: object
    tt4: object
    orders: dict = field(default_factory=dict)


def build_sales() -> Sales:
    """Event A: two sessions, four paid orders of each kind, a pending one; event B: one order.

    Event A gross 30 000 (10 000 + 5 000 refunded + 6 000 half refunded + free + 9 000 with
    a 10 % promo), refunds 8 000; event B gross 2 000. Another organizer sells too.
    """
    s1 = SessionFactory()
    event = s1.event
    organizer = event.organizer
    s2 = SessionFactory(event=event, starts_at=s1.starts_at + timedelta(days=1))
    tt1 = TicketTypeFactory(session=s1, name="Партер", price=Decimal("5000"), quantity=20)
    tt2 = TicketTypeFactory(session=s1, name="Детский", price=Decimal("0"), quantity=10)
    tt3 = TicketTypeFactory(session=s2, name="Балкон", price=Decimal("3000"), quantity=10)
    tt4 = TicketTypeFactory(session__event__organizer=organizer, price=Decimal("2000"), quantity=10)
    promo = PromoCodeFactory(organizer=organizer, event=event, code="TEN", value=Decimal("10"))
    sales = Sales(organizer, event, tt4.session.event, tt1, tt2, tt3, tt4)
    o = sales.orders
    o["paid"] = paid_order({tt1: 2}, email="paid@example.kz")
    o["refunded"] = paid_order({tt1: 1}, email="refunded@example.kz")
    order_refund(order_id=o["refunded"].pk, actor=Actor(label="organizer"))
    o["partial"] = paid_order({tt3: 2}, email="partial@example.kz")
    order_refund(
        order_id=o["partial"].pk,
        actor=Actor(label="organizer"),
        item_ids=[o["partial"].items.first().pk],
    )
    o["free"] = paid_order({tt2: 2}, email="free@example.kz")
    o["promo"] = paid_order({tt1: 2}, promo=promo.code, email="promo@example.kz")
    o["pending"] = place_order({tt1: 1}, email="pending@example.kz")
    o["other_event"] = paid_order({tt4: 1}, email="b@example.kz")
    o["stranger"] = paid_order({TicketTypeFactory(price=Decimal("7000")): 1})
    item = o["paid"].items.first()
    CheckIn.objects.create(
        item=item, session=s1, checked_in_at=timezone.now(), scanner_label="test"
    )
    # the first order was paid three days earlier: the chart has a gap (history is rewritten
    # behind the services' back, so the sales summary is counted again)
    Order.objects.filter(pk=o["paid"].pk).update(paid_at=timezone.now() - timedelta(days=3))
    sales_summary_recount(fix=True)
    for order in o.values():
        order.refresh_from_db()
    return sales


def member(organizer, role: str):
    return MembershipFactory(organizer=organizer, role=role).user


ROLES = Membership.Role

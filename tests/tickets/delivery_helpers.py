"""Paid orders and their check-in staff, for the delivery and check-in tests."""

from decimal import Decimal

from organizers.models import Membership
from tests.factories import MembershipFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor


def paid_order(tt=None, quantity: int = 2, email: str = "buyer@example.kz", user=None):
    """An order paid through the test provider (its on-commit work is the caller's choice)."""
    tt = tt or TicketTypeFactory(price=Decimal("5000"), quantity=20)
    order = place_order({tt: quantity}, email=email, user=user)
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


def staff_of(organizer, role=Membership.Role.CHECKIN):
    return MembershipFactory(organizer=organizer, role=role).user

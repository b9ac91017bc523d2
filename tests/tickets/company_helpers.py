"""Company orders for tests: placed through the order service, paid through the test provider."""

from decimal import Decimal

from tests.factories import SessionFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.companies.inputs import CompanyDetails
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor

LLP = CompanyDetails(
    legal_name="ТОО «Алтын Дала»", bin_iin="190340012348", legal_address="Астана, Кенесары 40"
)
SOLE_PROPRIETOR = CompanyDetails(
    legal_name="ИП Сейткали Д.", bin_iin="850315300158", legal_address="Алматы, Абая 1"
)


def company_ticket_type(organizer=None, price: str = "12500"):
    extra = {"event__organizer": organizer} if organizer is not None else {}
    session = SessionFactory(event__allow_company_purchases=True, **extra)
    return TicketTypeFactory(session=session, price=Decimal(price), quantity=50)


def company_order(ticket_type, *, company=LLP, quantity: int = 2, email="contact@example.kz"):
    return place_order({ticket_type: quantity}, email=email, company=company)


def pay(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order

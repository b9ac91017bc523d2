"""Two buyers with something in every register, for the subject access tests.

Aigerim and Bolat each have an account (verified e-mail), a paid order with a payment (and the
ticket e-mail and payment-flow events the sales path records), an organizer's message, a
check-in, consents, a cookie choice, IP log rows, a payment-flow event, daily IP counts and a
disclosure. Every value differs between them, so a test can check that an export carries one
buyer's values and none of the other's.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from privacy.identity import ip_network
from privacy.models import IpDailyStat, IpEvent, IpLogEntry
from privacy.services import consent_record, disclosure_record
from tests.factories import TicketTypeFactory, UserFactory
from tests.tickets.delivery_helpers import paid_order
from tickets.models import AttendeeMessage, CheckIn, MessageDelivery, Order


@dataclass
class Buyer:
    user: object
    email: str
    order: Order
    ip: str
    log_ip: str
    browser_id: str
    message_subject: str
    scanner: str
    recipient: str
    consent_wording: str
    log_path: str
    transaction_id: str

    def values(self) -> list[str]:
        """Values only this buyer's export may carry."""
        return [
            self.email,
            self.order.code,
            self.ip,
            self.log_ip,
            self.browser_id,
            self.message_subject,
            self.scanner,
            self.recipient,
            self.consent_wording,
            self.log_path,
            self.transaction_id,
        ]


def make_buyer(*, n: int, email: str, name: str, staff) -> Buyer:
    user = UserFactory(email=email, first_name=name)  # with the address verified
    tt = TicketTypeFactory(price=Decimal("5000"), quantity=20)
    order = paid_order(tt, quantity=1, email=email, user=user)
    # each buyer in networks of their own: daily counts are kept per /24 network
    ip, log_ip = f"203.0.{110 + n}.{n}", f"198.51.{100 + n}.{n}"
    Order.objects.filter(pk=order.pk).update(ip_address=ip)
    order.refresh_from_db()
    # one more event from the address the order now names (the flow's came from 10.0.0.1)
    IpEvent.objects.create(ip=ip, kind=IpEvent.Kind.PAYMENT_FAILED, reference=order.code)
    IpDailyStat.objects.create(
        day=date(2026, 5, n), ip=ip_network(ip), requests=10 + n, error_responses=n
    )
    IpDailyStat.objects.create(day=date(2026, 6, n), ip=ip_network(log_ip), requests=20 + n)
    log_path = f"/events/concert-{n}/"
    IpLogEntry.objects.create(
        created_at=timezone.now(), ip=log_ip, method="GET", path=log_path, status=200, user=user
    )
    message_subject = f"Концерт {n} переносится"
    message = AttendeeMessage.objects.create(
        organizer=order.event.organizer,
        event=order.event,
        kind=AttendeeMessage.Kind.SERVICE,
        subject=message_subject,
        body=f"Новая дата концерта {n}.",
        status=AttendeeMessage.Status.DONE,
    )
    MessageDelivery.objects.create(
        message=message, email=email, status=MessageDelivery.Status.SENT, sent_at=timezone.now()
    )
    item = order.items.get()
    scanner = f"Вход {n}"
    CheckIn.objects.create(
        item=item,
        session=item.ticket_type.session,
        checked_in_at=timezone.now(),
        scanner_label=scanner,
    )
    consent_wording = f"Хочу новости {n}"
    consent_record(
        purpose="marketing", action="given", wording=consent_wording, channel="site", user=user
    )
    browser_id = f"0000000{n}-0000-4000-8000-000000000000"
    consent_record(
        purpose="cookies_analytics",
        action="given",
        wording="Аналитика — да",
        channel="site",
        user=user,
        browser_id=browser_id,
        source="cookie-banner",
    )
    recipient = f"ТОО «Организатор {n}»"
    disclosure_record(
        actor=staff,
        recipient=recipient,
        subjects=[email],
        fields=["name", "email"],
        purpose="Список участников",
        channel="export",
    )
    return Buyer(
        user=user,
        email=email,
        order=order,
        ip=ip,
        log_ip=log_ip,
        browser_id=browser_id,
        message_subject=message_subject,
        scanner=scanner,
        recipient=recipient,
        consent_wording=consent_wording,
        log_path=log_path,
        transaction_id=f"t-{order.pk}",
    )


def sections_of(data: dict) -> dict:
    return {section["key"]: section["data"] for section in data["sections"]}

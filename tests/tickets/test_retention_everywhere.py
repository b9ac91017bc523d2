"""Both retention runs reach every place a buyer's data is kept — ticket holders, transfers,
payments' payer data and provider notifications, refunds and their requests, typed notes,
e-mail addresses, PDFs, waiting lists, organizers' messages, attendee lists, carts — and keep
what accounts need. The organizer's destruction is one event's, nothing more."""

import json
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from organizers.webhooks.models import WebhookDelivery, WebhookEndpoint
from privacy.models import ConsentRecord, DestructionRecord
from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.flows import place_order
from tests.tickets.test_personal_data_coverage import NOT_BUYER_MODELS
from tests.tickets.test_personal_data_coverage import _project_models as project_models
from tickets.models import (
    AttendeeExport,
    AttendeeMessage,
    BankStatement,
    BankStatementLine,
    Cart,
    ClosingAct,
    CompanyInvoice,
    EmailDelivery,
    MessageDelivery,
    Order,
    OrderCompany,
    OrderItem,
    OrderLog,
    Payment,
    PaymentNotification,
    Refund,
    RefundRequest,
    TicketPdf,
    TicketTransfer,
    WaitlistEntry,
    WalletPass,
    WalletRegistration,
)
from tickets.retention.personal_data import PERSONAL_DATA
from tickets.retention.services import event_personal_data_preview
from tickets.tasks import tickets_retention_task

pytestmark = pytest.mark.django_db

BUYER = "aigerim@example.kz"
# What identifies the buyer, the ticket holder and the waiting person anywhere it is stored.
MARKERS = (
    BUYER,
    "erlan@example.kz",
    "wait@example.kz",
    "Иванов",
    "Ерлан",
    "Айгерим",
    "+77011234567",
    "203.0.113.7",
    "aigerims-iphone-0001",  # a phone registered for the wallet pass's updates
)


def _everything_about(order: Order, *, user) -> None:
    """The buyer's data in every place it can be stored, as the features write it."""
    item = order.items.order_by("pk").first()
    OrderItem.objects.filter(pk=item.pk).update(
        holder_name="Ерлан Садыков", holder_email="erlan@example.kz"
    )
    Order.objects.filter(pk=order.pk).update(user=user, ip_address="203.0.113.7")
    TicketTransfer.objects.create(
        item=item,
        from_name="Айгерим Иванова",
        from_email=BUYER,
        to_name="Ерлан Садыков",
        to_email="erlan@example.kz",
        by_user=user,
    )
    payment = Payment.objects.create(
        order=order,
        provider="cloudpayments",
        amount=order.total,
        provider_transaction_id="TX-1",
        provider_data={"widget": {"accountId": BUYER, "amount": 10000}, "payment_id": "77"},
    )
    PaymentNotification.objects.create(
        order=order,
        provider="cloudpayments",
        kind="pay",
        body=json.dumps(
            {
                "TransactionId": "TX-1",
                "Amount": "10000.00",
                "Email": BUYER,
                "Name": "AIGERIM IVANOVA",
                "IpAddress": "203.0.113.7",
                "Data": {"phone": "+77011234567", "Currency": "KZT"},
            }
        ),
        signature_valid=True,
        outcome="paid",
        transaction_id="TX-1",
    )
    Refund.objects.create(
        order=order,
        payment=payment,
        amount=Decimal("100"),
        reason="Айгерим просила по телефону +77011234567",
        created_by=user,
    )
    Refund.objects.create(order=order, payment=payment, amount=Decimal("50"), reason="test")
    RefundRequest.objects.create(order=order, amount=Decimal("100"), note="звонил Ерлан")
    OrderLog.objects.create(
        order=order, from_status="paid", to_status="paid", note="Айгерим просила перенести"
    )
    OrderLog.objects.create(order=order, to_status="paid", actor=user, actor_label="buyer")
    EmailDelivery.objects.create(
        order=order, kind="resend", to=BUYER, language="ru", requested_by=user
    )
    wallet_pass = WalletPass.objects.create(item=item, serial_number=f"{order.code}-{item.pk}")
    WalletRegistration.objects.create(
        wallet_pass=wallet_pass,
        device_library_identifier="aigerims-iphone-0001",
        push_token="aigerims-iphone-0001-push",
    )
    pdf = TicketPdf(order=order, fingerprint="f")
    pdf.file.save("t.pdf", ContentFile(b"%PDF Ivanov"), save=False)
    pdf.save()
    WaitlistEntry.objects.create(ticket_type=item.ticket_type, email="wait@example.kz")
    message = AttendeeMessage.objects.create(
        organizer=order.event.organizer, event=order.event, kind="service", subject="s", body="b"
    )
    MessageDelivery.objects.create(message=message, email=BUYER)
    export = AttendeeExport(organizer=order.event.organizer, event=order.event, file_format="csv")
    export.file.save("list.csv", ContentFile("Иванов;aigerim@example.kz".encode()), save=False)
    export.save()
    Cart.objects.filter(event=order.event).update(user=user)
    OrderCompany.objects.create(
        order=order, legal_name="ИП Иванова Айгерим", bin_iin="900101400123", legal_address="x"
    )
    invoice = CompanyInvoice(order=order, amount=order.total, language="ru", fingerprint="f")
    invoice.file.save("invoice.pdf", ContentFile("Иванова Айгерим".encode()), save=False)
    invoice.save()
    act = ClosingAct(
        order=order,
        organizer=order.event.organizer,
        year=2026,
        number=1,
        issued_on=timezone.localdate(),
        amount=order.total,
        language="ru",
    )
    act.file.save("act.pdf", ContentFile("Иванова Айгерим".encode()), save=False)
    act.save()
    endpoint = WebhookEndpoint.objects.create(
        organizer=order.event.organizer, url="https://hooks.example.kz/", secret="s" * 32
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=uuid.uuid4(),
        event_type="order.paid",
        payload={
            "type": "order.paid",
            "data": {
                "order": {
                    "code": order.code,
                    "total": "10000.00",
                    "buyer": {"name": "Иванов", "email": BUYER, "phone": "+77011234567"},
                }
            },
        },
    )
    BankStatementLine.objects.create(
        organizer=order.event.organizer,
        statement=BankStatement.objects.create(organizer=order.event.organizer, file_sha256="0"),
        fingerprint="f",
        amount=order.total,
        payer_name="ИП Иванова Айгерим",
        payer_account="KZ12601A861001234567",
        purpose=f"Оплата заказа {order.code}, тел. +77011234567",
        order=order,
        status=BankStatementLine.Status.PAID,
    )


def _stored_values(model, rows=None) -> list[str]:
    rows = model._default_manager.all() if rows is None else rows
    fields = [f.attname for f in model._meta.concrete_fields]
    return [str(value) for row in rows.values_list(*fields) for value in row]


def _markers_in(values: list[str]) -> set[str]:
    return {marker for marker in MARKERS if any(marker in value for value in values)}


def _kept_for_accounts(order: Order) -> None:
    order.refresh_from_db()
    assert order.code and order.total == Decimal("10000") and order.items.count() == 2
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.provider_transaction_id) == (Decimal("10000"), "TX-1")
    assert payment.provider_data == {"payment_id": "77", "widget": {"amount": 10000}}
    body = json.loads(PaymentNotification.objects.get(order=order).body)
    assert body == {"TransactionId": "TX-1", "Amount": "10000.00", "Data": {"Currency": "KZT"}}
    assert sorted(Refund.objects.filter(order=order).values_list("amount", "reason")) == [
        (Decimal("50"), "test"),  # a note the service wrote stays
        (Decimal("100"), ""),
    ]
    assert RefundRequest.objects.get(order=order).amount == Decimal("100")
    assert TicketTransfer.objects.filter(item__order=order).count() == 1
    payload = WebhookDelivery.objects.get().payload["data"]["order"]
    assert (payload["code"], payload["total"]) == (order.code, "10000.00")


def test_the_tax_period_run_leaves_no_trace_of_the_people_anywhere(settings):
    settings.RETENTION_ORDERS_YEARS = 5
    user = UserFactory(email=BUYER)
    order = place_order(email=BUYER)
    _everything_about(order, user=user)
    pdf_path = TicketPdf.objects.get().file.path
    export_path = AttendeeExport.objects.get().file.path
    long_ago = timezone.make_aware(datetime(timezone.now().year - 6, 6, 1))
    for model in (Order, WaitlistEntry, AttendeeMessage, AttendeeExport, Cart):
        model.objects.update(created_at=long_ago)

    assert tickets_retention_task.delay().get()["orders"] == 1

    everywhere = [
        value
        for model in project_models()
        if model._meta.label not in NOT_BUYER_MODELS
        for value in _stored_values(model)
    ]
    assert _markers_in(everywhere) == set()
    assert Cart.objects.exists() and not Cart.objects.filter(user=user).exists()
    _kept_for_accounts(order)
    assert not WaitlistEntry.objects.exists() and not TicketPdf.objects.exists()
    assert AttendeeExport.objects.get().file.name == ""
    assert not any(Path(path).exists() for path in (pdf_path, export_path))
    assert OrderLog.objects.filter(order=order, actor__isnull=False).count() == 0
    run = DestructionRecord.objects.get(rule="orders")
    assert run.rows >= 1 and "обезличен" in run.what


@pytest.fixture
def two_events_of_one_buyer():
    """The buyer's order at a finished event (with everything about them), and their order at
    another event."""
    user = UserFactory(email=BUYER)
    finished = place_order({TicketTypeFactory(price=Decimal("5000"), quantity=10): 2}, email=BUYER)
    _everything_about(finished, user=user)
    session = finished.items.first().ticket_type.session
    session.starts_at = timezone.now() - timedelta(days=2)
    session.save()
    other = place_order(email=BUYER, user=user)
    return finished, other, user


def _destroy(client, event):
    client.force_login(MembershipFactory(organizer=event.organizer).user)
    url = reverse("tickets:cabinet_event_data_destroy", args=[event.organizer.slug, event.slug])
    return client, url


def test_the_organizer_destroys_one_events_data_everywhere_and_keeps_the_accounts(
    client, two_events_of_one_buyer, settings
):
    finished, other, user = two_events_of_one_buyer
    event = finished.event
    client, url = _destroy(client, event)
    page = client.get(url).content.decode()
    for line in (
        "Имена и адреса электронной почты владельцев билетов: 1",
        "Записи в листе ожидания: 1",
        "Данные плательщиков в уведомлениях платёжных провайдеров: 1",
        "Файлы списков участников: 1",
    ):
        assert line in page, line

    assert client.post(url, {"confirm": "on"}).status_code == 302

    of_event = []
    for entry in PERSONAL_DATA:
        if entry.accounting:
            continue
        rows = (
            entry.rows_of_orders([finished])
            if entry.of_orders
            else entry.model._default_manager.filter(**{entry.event: event})
        )
        of_event += _stored_values(entry.model, rows)
    assert _markers_in(of_event) == set()
    _kept_for_accounts(finished)
    # The same buyer outside this event: their other order, account and consents stay.
    other.refresh_from_db()
    assert (other.email, other.surname, other.user_id) == (BUYER, "Иванов", user.pk)
    assert ConsentRecord.objects.filter(email=BUYER).count() == 2
    run = DestructionRecord.objects.get(rule="event_data")
    assert run.scope == f"event:{event.slug}" and "владельцев билетов" in run.what
    assert event_personal_data_preview(event=event).lines == []  # nothing left to destroy
    # The organisation on the invoice stays for the tax period, then goes with the order.
    assert OrderCompany.objects.get(order=finished).bin_iin == "900101400123"
    invoice_path = CompanyInvoice.objects.get(order=finished).file.path
    act_path = ClosingAct.objects.get(order=finished).file.path
    assert BankStatementLine.objects.get(order=finished).payer_name == "ИП Иванова Айгерим"
    assert Path(invoice_path).exists() and Path(act_path).exists()
    settings.RETENTION_ORDERS_YEARS = 5
    long_ago = timezone.make_aware(datetime(timezone.now().year - 6, 6, 1))
    Order.objects.filter(pk=finished.pk).update(created_at=long_ago)
    tickets_retention_task.delay().get()
    assert OrderCompany.objects.get(order=finished).legal_name == ""
    assert CompanyInvoice.objects.get(order=finished).file.name == ""
    assert ClosingAct.objects.get(order=finished).amount == Decimal("10000")
    line = BankStatementLine.objects.get(order=finished)
    assert (line.payer_name, line.purpose, line.amount) == ("", "", Decimal("10000"))
    assert not Path(invoice_path).exists() and not Path(act_path).exists()
    other.refresh_from_db()
    assert other.email == BUYER


def test_a_blocked_ticket_holder_keeps_the_order_that_names_them(client, two_events_of_one_buyer):
    finished, _other, _user = two_events_of_one_buyer
    make_blocked(staff=UserFactory(is_staff=True), email="erlan@example.kz")
    assert event_personal_data_preview(event=finished.event).held == 1
    client, url = _destroy(client, finished.event)
    client.post(url, {"confirm": "on"})
    assert OrderItem.objects.filter(holder_email="erlan@example.kz").exists()
    assert Order.objects.get(pk=finished.pk).email == BUYER
    assert not WaitlistEntry.objects.exists()  # a different person, not held

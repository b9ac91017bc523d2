"""Paying by bank transfer: the order waits with its tickets held, the accountant's "paid"
issues the tickets as a card payment does, the deadline expires it (reminder first), and the
money goes back by transfer, never through a card provider."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import TicketType
from tests.factories import UserFactory
from tests.tickets.banktransfer_helpers import (
    ALMATY,
    MONDAY,
    company_order,
    frozen,
    transfer_ticket_type,
    waiting_order,
)
from tests.tickets.flows import place_order
from tickets.banktransfer.errors import (
    BankTransferNotOffered,
    BankTransferNotWaiting,
    BankTransferTicketsGone,
    ReturnByTransferOnly,
)
from tickets.banktransfer.models import BankTransferPayment, BankTransferReturn
from tickets.banktransfer.provider import BANK_TRANSFER
from tickets.banktransfer.services import (
    bank_transfer_mark_paid,
    bank_transfer_return_record,
    bank_transfers_tick,
    start_bank_transfer,
)
from tickets.companies.models import CompanyInvoice
from tickets.errors import RefundError, SoldOut
from tickets.models import Order, OrderItem, OrderLog, Payment, RefundRequest
from tickets.refunds.selectors import order_refund_quote
from tickets.refunds.services import order_refund_by_buyer
from tickets.services.order_lifecycle import orders_expire_overdue
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def test_choosing_a_transfer_holds_the_tickets_until_the_fifth_working_day():
    with frozen(MONDAY):
        ticket_type = transfer_ticket_type(quantity=2)
        order, transfer = waiting_order(ticket_type, count=2)
    assert transfer.deadline == datetime(2026, 12, 14, 23, 59, 59, tzinfo=ALMATY)
    assert order.payment_due_at == transfer.deadline
    assert transfer.payment.provider == BANK_TRANSFER
    assert transfer.payment.status == Payment.Status.CREATED
    assert transfer.amount == order.total == Decimal("100000.00")
    assert OrderLog.objects.filter(order=order, note__contains="bank transfer chosen").exists()
    # Long after the card payment window, the held tickets are still the order's.
    with frozen(MONDAY + timedelta(days=3)):
        assert orders_expire_overdue() == 0
        assert bank_transfers_tick()["closed"] == 0
        with pytest.raises(SoldOut):
            place_order({ticket_type: 1}, email="other@example.kz")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 2


def test_choosing_a_transfer_issues_the_invoice_due_at_the_deadline(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        order, transfer = waiting_order()
    invoice = CompanyInvoice.objects.get(order=order)
    assert invoice.due_at == transfer.deadline and invoice.amount == transfer.amount
    assert [m.to for m in mailoutbox] == [[order.email]]
    assert mailoutbox[0].attachments  # the invoice's PDF


def test_choosing_it_twice_returns_the_same_transfer():
    order, transfer = waiting_order()
    assert start_bank_transfer(order).pk == transfer.pk
    assert Payment.objects.filter(order=order, provider=BANK_TRANSFER).count() == 1


def test_not_offered_below_the_events_fewest_tickets_or_when_not_allowed():
    small = company_order(transfer_ticket_type(min_tickets=3), count=2)
    with pytest.raises(BankTransferNotOffered):
        start_bank_transfer(small)
    not_allowed = transfer_ticket_type()
    not_allowed.session.event.allow_bank_transfer = False
    not_allowed.session.event.save()
    with pytest.raises(BankTransferNotOffered):
        start_bank_transfer(company_order(not_allowed, count=2))
    with pytest.raises(BankTransferNotOffered):  # a person's order, not an organisation's
        start_bank_transfer(place_order({transfer_ticket_type(): 2}))
    assert not Payment.objects.filter(provider=BANK_TRANSFER).exists()


def test_mark_paid_issues_and_emails_the_tickets_and_keeps_the_bank_document(
    django_capture_on_commit_callbacks, mailoutbox
):
    order, transfer = waiting_order()
    accountant = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record = bank_transfer_mark_paid(
            order_id=order.pk,
            paid_on=date(2026, 12, 8),
            document_number="154",
            user=accountant,
        )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert record.document_number == "154" and record.paid_on == date(2026, 12, 8)
    assert record.recorded_by == accountant and record.amount == order.total
    payment = Payment.objects.get(pk=transfer.payment_id)
    assert payment.status == Payment.Status.SUCCEEDED
    entry = OrderLog.objects.get(order=order, to_status=Order.Status.PAID)
    assert entry.actor == accountant and "No 154 of 08.12.2026" in entry.note
    # the same delivery as a card payment: the confirmation with the PDF tickets attached
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [order.email]
    assert [a[2] for a in mailoutbox[0].attachments] == ["application/pdf", "text/calendar"]
    with pytest.raises(BankTransferNotWaiting):
        bank_transfer_mark_paid(
            order_id=order.pk, paid_on=date(2026, 12, 8), document_number="155", user=accountant
        )
    assert BankTransferPayment.objects.count() == 1


def test_mark_paid_of_an_order_that_never_chose_a_transfer_is_refused():
    order = company_order(transfer_ticket_type(), count=2)
    with pytest.raises(BankTransferNotWaiting):
        bank_transfer_mark_paid(
            order_id=order.pk, paid_on=date(2026, 12, 8), document_number="1", user=None
        )
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_reminder_goes_a_working_day_before_then_the_deadline_expires_the_order(
    django_capture_on_commit_callbacks, mailoutbox
):
    with frozen(MONDAY):
        ticket_type = transfer_ticket_type(quantity=2)
        order, transfer = waiting_order(ticket_type, count=2)
    Order.objects.filter(pk=order.pk).update(language="kk")
    # Friday 11 December 09:00 is the last working day before Monday's deadline.
    assert transfer.remind_at == datetime(2026, 12, 11, 9, 0, tzinfo=ALMATY)
    early = frozen(datetime(2026, 12, 11, 8, 45, tzinfo=ALMATY))
    with early, django_capture_on_commit_callbacks(execute=True):
        assert bank_transfers_tick() == {"reminded": 0, "closed": 0}
    assert mailoutbox == []
    on_time = frozen(datetime(2026, 12, 11, 9, 15, tzinfo=ALMATY))
    with on_time, django_capture_on_commit_callbacks(execute=True):
        assert bank_transfers_tick() == {"reminded": 1, "closed": 0}
        assert bank_transfers_tick() == {"reminded": 0, "closed": 0}
    assert len(mailoutbox) == 1
    reminder = mailoutbox[0]
    assert reminder.to == [order.email]
    assert order.code in reminder.subject
    assert "KZ86125KZT5004100100" in reminder.body and "KCJBKZKX" in reminder.body
    assert "100\xa0000\xa0₸" in reminder.body
    assert "14 желтоқсан 2026" in reminder.body  # in the buyer's language
    # Still held over the weekend and on Monday; gone after Monday ends.
    with frozen(datetime(2026, 12, 14, 23, 0, tzinfo=ALMATY)):
        assert bank_transfers_tick() == {"reminded": 0, "closed": 0}
    with frozen(datetime(2026, 12, 15, 0, 5, tzinfo=ALMATY)):
        assert bank_transfers_tick() == {"reminded": 0, "closed": 1}
        place_order({ticket_type: 2}, email="next@example.kz")  # back on sale
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert Payment.objects.get(pk=transfer.payment_id).status == Payment.Status.FAILED
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 2


def test_money_after_expiry_pays_when_the_tickets_are_free_else_records_nothing():
    with frozen(MONDAY):
        ticket_type = transfer_ticket_type(quantity=2)
        order, _transfer = waiting_order(ticket_type, count=2)
    with frozen(datetime(2026, 12, 15, 9, 0, tzinfo=ALMATY)):
        bank_transfers_tick()
        assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
        place_order({ticket_type: 2}, email="quicker@example.kz")
        with pytest.raises(BankTransferTicketsGone):
            bank_transfer_mark_paid(
                order_id=order.pk, paid_on=date(2026, 12, 14), document_number="9", user=None
            )
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert not BankTransferPayment.objects.exists()
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()


def test_a_card_refund_of_a_transfer_order_is_refused_and_the_return_is_recorded(
    django_capture_on_commit_callbacks, mailoutbox
):
    order, _transfer = waiting_order()
    bank_transfer_mark_paid(
        order_id=order.pk, paid_on=date(2026, 12, 8), document_number="154", user=None
    )
    with pytest.raises(ReturnByTransferOnly):
        order_refund(order_id=order.pk, actor=Actor(label="organizer"))
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    accountant = UserFactory()
    with pytest.raises(RefundError):
        bank_transfer_return_record(
            order_id=order.pk,
            amount=Decimal("100000.01"),
            returned_on=date(2026, 12, 20),
            document_number="77",
            user=accountant,
        )
    with django_capture_on_commit_callbacks(execute=True):
        returned = bank_transfer_return_record(
            order_id=order.pk,
            amount=Decimal("90000"),
            returned_on=date(2026, 12, 20),
            document_number="77",
            user=accountant,
        )
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.refunded_amount == Decimal("90000")
    refund = returned.refund
    assert refund.amount == Decimal("90000") and refund.provider_refund_id == "transfer:77"
    assert refund.created_by == accountant
    assert BankTransferReturn.objects.get().returned_on == date(2026, 12, 20)
    assert not order.items.filter(status=OrderItem.Status.VALID).exists()
    assert [m.to for m in mailoutbox] == [[order.email]]


def test_a_buyers_return_of_a_transfer_order_waits_for_the_transfer_back():
    order, _transfer = waiting_order()
    bank_transfer_mark_paid(
        order_id=order.pk, paid_on=date(2026, 12, 8), document_number="154", user=None
    )
    order.refresh_from_db()
    quote = order_refund_quote(order=order)
    assert quote.amount > 0
    request = order_refund_by_buyer(
        order_id=order.pk, item_ids=None, expected=quote.fingerprint, user=None
    )
    assert isinstance(request, RefundRequest)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    returned = bank_transfer_return_record(
        order_id=order.pk,
        amount=request.amount,
        returned_on=timezone.localdate(),
        document_number="78",
        user=None,
    )
    request.refresh_from_db()
    assert request.status == RefundRequest.Status.APPROVED
    assert request.refund == returned.refund

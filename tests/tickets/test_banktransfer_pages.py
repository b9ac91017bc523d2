"""The pages of bank transfers: the buyer chooses it and reads the bank details on the order
page; the owner and the accountant record money, import statements, decide and record returns
in the cabinet's "Bank transfers" page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organizers.models import Membership
from tests.factories import MembershipFactory
from tests.tickets.banktransfer_helpers import (
    company_order,
    document,
    statement,
    transfer_ticket_type,
    waiting_order,
)
from tickets.banktransfer.models import BankStatementLine, BankTransfer, BankTransferReturn
from tickets.banktransfer.services import bank_transfer_mark_paid
from tickets.models import Order, OrderLog
from tickets.refunds.selectors import order_refund_quote
from tickets.refunds.services import order_refund_by_buyer

pytestmark = pytest.mark.django_db


def _team(client, organizer, role=Membership.Role.ACCOUNTANT):
    client.force_login(MembershipFactory(organizer=organizer, role=role).user)
    return client


def _page(organizer) -> str:
    return reverse("tickets:cabinet_bank_transfers", args=[organizer.slug])


def test_buyer_chooses_a_bank_transfer_and_reads_the_details(client):
    order = company_order(transfer_ticket_type(), count=2)
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'value="bank_transfer"' in page
    response = client.post(
        reverse("tickets:order_pay", args=[order.code]),
        {"provider": "bank_transfer", "s": order.secret},
        follow=True,
    )
    html = response.content.decode()
    transfer = BankTransfer.objects.get(order=order)
    assert 'data-testid="bank-details"' in html
    organizer = order.event.organizer
    for fact in (organizer.legal_name, organizer.bin_iin, organizer.iban, organizer.bik, "17"):
        assert fact in html
    assert "100\u00a0000\u00a0₸" in html
    assert f"Оплата по заказу {order.code}" in html
    assert timezone.localtime(transfer.deadline).strftime("%Y") in html
    assert 'value="bank_transfer"' not in html  # chosen: not offered again


def test_bank_transfer_is_not_offered_below_the_fewest_tickets(client):
    order = company_order(transfer_ticket_type(min_tickets=5), count=2)
    assert 'value="bank_transfer"' not in client.get(order.get_absolute_url()).content.decode()
    response = client.post(
        reverse("tickets:order_pay", args=[order.code]),
        {"provider": "bank_transfer", "s": order.secret},
        follow=True,
    )
    assert "Выберите способ оплаты" in response.content.decode()
    assert not BankTransfer.objects.exists()


def test_the_accountant_sees_waiting_orders_and_marks_one_paid(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    order, _transfer = waiting_order()
    organizer = order.event.organizer
    accountant = _team(client, organizer)
    page = accountant.get(_page(organizer)).content.decode()
    assert order.code in page and "Иванов Иван" in page
    assert 'data-testid="bank-waiting-row"' in page
    url = reverse("tickets:cabinet_bank_transfer_paid", args=[organizer.slug, order.code])
    bad = accountant.post(url, {"paid_on": "вчера", "document_number": "154"})
    assert bad.status_code == 400
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        done = accountant.post(url, {"paid_on": "2026-12-04", "document_number": "154"})
    assert done.status_code == 302
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert OrderLog.objects.get(order=order, to_status="paid").actor_label == "accountant"
    assert [m.to for m in mailoutbox] == [[order.email]]
    again = accountant.post(url, {"paid_on": "2026-12-04", "document_number": "154"})
    assert again.status_code == 400
    assert "не ждёт" in again.content.decode() or "not waiting" in again.content.decode()


def test_a_manager_may_not_open_bank_transfers(client):
    order, _transfer = waiting_order()
    manager = _team(client, order.event.organizer, Membership.Role.MANAGER)
    assert manager.get(_page(order.event.organizer)).status_code == 403


def test_statement_upload_pays_matches_and_lists_the_rest(client):
    order, _transfer = waiting_order()
    organizer = order.event.organizer
    accountant = _team(client, organizer)
    raw = statement(
        document(number="154", purpose=f"Оплата по заказу {order.code}"),
        document(number="155", amount="7000.00", purpose="Благотворительная помощь"),
        encoding="cp1251",
    )
    upload = SimpleUploadedFile("kl_to_1c.txt", raw, content_type="text/plain")
    url = reverse("tickets:cabinet_bank_statement_upload", args=[organizer.slug])
    response = accountant.post(url, {"statement": upload}, follow=True)
    html = response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert 'data-testid="bank-line"' in html and "Благотворительная помощь" in html
    line = BankStatementLine.objects.get(number="155")
    decide = reverse("tickets:cabinet_bank_statement_line", args=[organizer.slug, line.pk])
    refused = accountant.post(decide, {"decision": "pay", "order_code": ""}, follow=True)
    assert "Укажите номер заказа" in refused.content.decode()
    accountant.post(decide, {"decision": "ignore"})
    assert BankStatementLine.objects.get(pk=line.pk).status == BankStatementLine.Status.IGNORED


def test_a_file_that_is_not_a_statement_is_a_form_error(client):
    order, _transfer = waiting_order()
    organizer = order.event.organizer
    accountant = _team(client, organizer, Membership.Role.OWNER)
    upload = SimpleUploadedFile("report.csv", "Дата;Сумма\n1;2\n".encode(), "text/csv")
    url = reverse("tickets:cabinet_bank_statement_upload", args=[organizer.slug])
    response = accountant.post(url, {"statement": upload})
    assert response.status_code == 400
    assert "1CClientBankExchange" in response.content.decode()
    assert not BankStatementLine.objects.exists()


def test_another_organizers_accountant_gets_nothing(client):
    order, _transfer = waiting_order()
    stranger = _team(client, transfer_ticket_type().session.event.organizer)
    url = reverse(
        "tickets:cabinet_bank_transfer_paid", args=[order.event.organizer.slug, order.code]
    )
    assert stranger.get(url).status_code == 404


def test_the_return_by_transfer_is_recorded_from_the_cabinet(client):
    order, _transfer = waiting_order()
    bank_transfer_mark_paid(
        order_id=order.pk, paid_on=date(2026, 12, 8), document_number="154", user=None
    )
    organizer = order.event.organizer
    accountant = _team(client, organizer)
    listing = accountant.get(_page(organizer)).content.decode()
    url = reverse("tickets:cabinet_bank_transfer_return", args=[organizer.slug, order.code])
    assert url in listing
    assert accountant.get(url).status_code == 200
    response = accountant.post(
        url,
        {
            "amount": "100000",
            "returned_on": timezone.localdate().isoformat(),
            "document_number": "9",
        },
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED
    assert BankTransferReturn.objects.get().document_number == "9"


def test_the_cabinet_page_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    ticket_type = transfer_ticket_type(quantity=20)
    organizer = ticket_type.session.event.organizer
    for n in range(4):
        waiting_order(ticket_type, count=2, email=f"b{n}@example.kz")
    accountant = _team(client, organizer)
    with django_assert_max_num_queries(30):
        page = accountant.get(_page(organizer))
    assert page.content.decode().count('data-testid="bank-waiting-row"') == 4


def test_the_cabinet_navigation_links_the_page_for_the_accountant(client):
    order, _transfer = waiting_order()
    organizer = order.event.organizer
    accountant = _team(client, organizer)
    html = accountant.get(reverse("organizers:dashboard", args=[organizer.slug])).content
    assert _page(organizer) in html.decode()


def test_a_manager_reads_who_records_a_transfer_return_instead_of_a_link_they_may_not_open(client):
    order, _transfer = waiting_order()
    bank_transfer_mark_paid(
        order_id=order.pk, paid_on=date(2026, 12, 8), document_number="154", user=None
    )
    order.refresh_from_db()
    order_refund_by_buyer(
        order_id=order.pk,
        item_ids=None,
        expected=order_refund_quote(order=order).fingerprint,
        user=None,
    )
    organizer = order.event.organizer
    requests_page = reverse("tickets:cabinet_refund_requests", args=[organizer.slug])
    record = reverse("tickets:cabinet_bank_transfer_return", args=[organizer.slug, order.code])
    manager_view = _team(client, organizer, Membership.Role.MANAGER).get(requests_page)
    assert manager_view.status_code == 200
    assert record not in manager_view.content.decode()
    assert "владелец или бухгалтер" in manager_view.content.decode()
    owner_view = _team(client, organizer, Membership.Role.OWNER).get(requests_page)
    assert record in owner_view.content.decode()

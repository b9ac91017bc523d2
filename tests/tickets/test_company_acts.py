"""Acts of services rendered for company orders: numbered per organizer per year without gaps,
issued on payment or after the event as the organizer chose, listed and exported in the
cabinet for the accountant."""

import io
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import Session
from eventum.models import OutboxMessage
from organizers.models import Organizer
from tests.factories import MembershipFactory, OrganizerFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.company_helpers import (
    SOLE_PROPRIETOR,
    company_order,
    company_ticket_type,
    pay,
)
from tests.tickets.flows import place_order
from tickets.companies.acts import (
    ACT_TASK,
    closing_act_after_paid,
    closing_act_issue,
    closing_act_number_take,
    closing_acts_issue_due,
)
from tickets.models import ClosingAct
from tickets.services.order_states import order_lock

pytestmark = pytest.mark.django_db


def _pdf_text(act: ClosingAct) -> str:
    with act.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"[\u00a0\u202f]", " ", "\n".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def on_payment():
    return OrganizerFactory(closing_act_on=Organizer.ClosingActOn.ON_PAYMENT)


def test_acts_are_numbered_per_organizer_and_year_without_gaps(on_payment):
    other = OrganizerFactory()
    year = timezone.localdate().year
    ticket_type = company_ticket_type(on_payment)
    orders = [pay(company_order(ticket_type)) for _ in range(3)]
    other_order = pay(company_order(company_ticket_type(other)))
    numbers = [closing_act_issue(order_id=o.pk).number for o in orders]
    assert numbers == [1, 2, 3]
    assert closing_act_issue(order_id=other_order.pk).number == 1
    # issuing again gives the same act, not a new number
    assert closing_act_issue(order_id=orders[0].pk).number == 1
    assert ClosingAct.objects.filter(organizer=on_payment).count() == 3
    # a new year starts again from one
    assert closing_act_number_take(organizer=on_payment, year=year + 1) == 1
    assert closing_act_number_take(organizer=on_payment, year=year) == 4


def test_unpaid_personal_and_free_orders_get_no_act(on_payment):
    ticket_type = company_ticket_type(on_payment)
    assert closing_act_issue(order_id=company_order(ticket_type).pk) is None  # not paid
    personal = pay(place_order({ticket_type: 1}))
    assert closing_act_issue(order_id=personal.pk) is None
    assert not ClosingAct.objects.exists()


def test_act_is_issued_and_emailed_on_payment(
    on_payment, django_capture_on_commit_callbacks, mailoutbox
):
    order = company_order(company_ticket_type(on_payment))
    with django_capture_on_commit_callbacks(execute=True):
        pay(order)
    act = ClosingAct.objects.get(order=order)
    year = timezone.localdate().year
    assert (act.year, act.number) == (year, 1)
    text = _pdf_text(act)
    assert f"Акт оказанных услуг № {year}-1" in text
    assert on_payment.bin_iin in text and "190340012348" in text
    assert "Двадцать пять тысяч тенге 00 тиын" in text
    act_mails = [m for m in mailoutbox if m.attachments and m.attachments[0][0].startswith("act-")]
    assert len(act_mails) == 1 and act_mails[0].to == ["contact@example.kz"]
    # the buyer downloads it from the order page
    client = Client()
    html = client.get(order.get_absolute_url()).content.decode()
    assert 'data-testid="act-link"' in html
    response = client.get(reverse("tickets:order_act", kwargs={"code": order.code}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_paid_path_asks_about_a_company_only_for_organizers_issuing_acts_on_payment(
    on_payment, django_assert_num_queries
):
    """Every paid order passes here: an organizer issuing acts after the event costs no query
    (its setting is read with the locked order), one issuing them on payment one."""
    after_event, personal, company = (
        order_lock_read(order.pk)
        for order in (
            pay(company_order(company_ticket_type(OrganizerFactory()))),
            pay(place_order({company_ticket_type(on_payment): 1})),
            company_order(company_ticket_type(on_payment)),
        )
    )
    OutboxMessage.objects.all().delete()
    with django_assert_num_queries(0):
        closing_act_after_paid(after_event)
    with django_assert_num_queries(1):
        closing_act_after_paid(personal)  # no company: nothing enqueued
    assert not OutboxMessage.objects.filter(task_name=ACT_TASK).exists()
    with django_assert_num_queries(2):  # the company, then the act's task
        closing_act_after_paid(company)
    assert OutboxMessage.objects.filter(task_name=ACT_TASK, args=[company.pk]).exists()


def order_lock_read(order_id: int):
    with transaction.atomic():
        return order_lock(order_id)


def test_after_the_event_the_hourly_run_issues_the_act(django_capture_on_commit_callbacks):
    organizer = OrganizerFactory()  # the default: after the event
    ticket_type = company_ticket_type(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        order = pay(company_order(ticket_type))
    assert not ClosingAct.objects.exists()  # not on payment
    assert closing_acts_issue_due() == 0  # the event is ahead
    Session.objects.filter(pk=ticket_type.session_id).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert closing_acts_issue_due() == 1
    assert ClosingAct.objects.get(order=order).number == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert closing_acts_issue_due() == 0  # issued once


def _documents_url(organizer) -> str:
    return reverse("tickets:cabinet_company_documents", args=[organizer.slug])


def test_accountant_lists_and_exports_invoices_and_acts(
    client, on_payment, django_assert_max_num_queries
):
    ticket_type = company_ticket_type(on_payment)
    paid = [pay(company_order(ticket_type)) for _ in range(3)]
    for order in paid:
        closing_act_issue(order_id=order.pk)
    waiting = company_order(ticket_type)
    client.force_login(MembershipFactory(organizer=on_payment, role="accountant").user)
    url = _documents_url(on_payment)
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert "ТОО «Алтын Дала»" in html and waiting.code in html
    year = timezone.localdate().year
    assert f"№ {year}-3" in html

    csv_text = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert "190340012348" in csv_text and f"{year}-1" in csv_text and waiting.code in csv_text
    workbook = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 5  # the header and four orders
    assert any(row[11] == f"{year}-2" for row in rows[1:])

    client.force_login(MembershipFactory(organizer=on_payment, role="checkin").user)
    assert client.get(url).status_code == 403


def test_cabinet_nav_links_the_documents_page_for_the_accountant(client, on_payment):
    client.force_login(MembershipFactory(organizer=on_payment, role="accountant").user)
    html = client.get(_documents_url(on_payment)).content.decode()
    assert "Документы компаний" in html
    assert 'aria-current="page"' in html


def test_blocked_sole_proprietor_is_masked_in_the_list_export_and_downloads(client, on_payment):
    order = pay(company_order(company_ticket_type(on_payment), company=SOLE_PROPRIETOR))
    closing_act_issue(order_id=order.pk)
    make_blocked(staff=UserFactory(is_staff=True), email="contact@example.kz")
    client.force_login(MembershipFactory(organizer=on_payment, role="owner").user)
    url = _documents_url(on_payment)
    assert "850315300158" not in client.get(url).content.decode()
    assert "850315300158" not in client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    act_url = reverse("tickets:cabinet_order_act", args=[on_payment.slug, order.code])
    assert client.get(act_url).status_code == 404

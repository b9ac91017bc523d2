"""The invoice (счёт на оплату) of a company order: asked for on the order page, made by a
worker through the outbox, stored privately, read back from the PDF, e-mailed, downloadable by
the buyer and the organizer's team."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import MembershipFactory, SessionFactory, TicketTypeFactory
from tests.tickets.helpers import buyer_data, choose, idempotency_key
from tickets.companies.documents import vat_included
from tickets.companies.invoices import invoice_generate
from tickets.models import CompanyInvoice, Order

pytestmark = pytest.mark.django_db

ORGANIZER_BIN = "180240021341"
ORGANIZER_IBAN = "KZ86125KZT5004100100"
COMPANY_BIN = "190340012348"
COMPANY = {
    "as_company": "on",
    "company_name": "ТОО «Алтын Дала»",
    "company_bin": COMPANY_BIN,
    "company_address": "г. Астана, ул. Кенесары, 40",
}


@pytest.fixture
def stalls(policy):
    session = SessionFactory(
        event__allow_company_purchases=True,
        event__title_ru="Ночь домбры",
        event__organizer__legal_name="ТОО «Степь Концерт»",
        event__organizer__bin_iin=ORGANIZER_BIN,
        event__organizer__iban=ORGANIZER_IBAN,
        event__organizer__bik="KCJBKZKX",
        event__organizer__kbe="17",
    )
    return TicketTypeFactory(session=session, name_ru="Партер", price=Decimal("12500"), quantity=9)


def _company_order(client, stalls, language: str = "ru") -> Order:
    prefix = "" if language == "ru" else f"/{language}"
    choose(client, stalls.session, {stalls: 2})
    key = idempotency_key(client)
    response = client.post(f"{prefix}{reverse('tickets:checkout')}", buyer_data(key, **COMPANY))
    assert response.status_code == 302
    return Order.objects.get()


def _request_invoice(client, order: Order, capture) -> CompanyInvoice:
    url = reverse("tickets:order_invoice_request", kwargs={"code": order.code})
    with capture(execute=True):
        response = client.post(f"{url}?s={order.secret}")
    assert response.status_code == 302
    return CompanyInvoice.objects.get(order=order)


def _text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\u00a0\u202f]", " ", text)


def test_company_order_invoice_end_to_end(
    client, stalls, django_capture_on_commit_callbacks, mailoutbox, settings
):
    order = _company_order(client, stalls)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Получить счёт" in page
    invoice = _request_invoice(client, order, django_capture_on_commit_callbacks)

    assert invoice.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with invoice.file.open("rb") as handle:
        text = _text(handle.read())
    assert f"Счёт на оплату № {order.code}" in text
    assert "ТОО «Степь Концерт»" in text and ORGANIZER_BIN in text
    assert ORGANIZER_IBAN in text and "KCJBKZKX" in text and "17" in text
    assert "ТОО «Алтын Дала»" in text and COMPANY_BIN in text
    assert "25 000" in text
    assert "Двадцать пять тысяч тенге 00 тиын" in text
    assert "Без НДС" in text
    assert f"Оплата по заказу {order.code}" in text
    assert invoice.due_at == order.payment_due_at
    due = timezone.localtime(order.payment_due_at)  # the buyer reads Almaty time
    assert f"Оплатить до {due:%d.%m.%Y}" in text.replace("\n", " ")

    # e-mailed once to the contact person, with the PDF
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["aigerim@example.kz"]
    assert order.code in message.subject
    assert message.attachments[0][0] == f"invoice-{order.code}.pdf"

    # the buyer downloads it from the order page
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'data-testid="invoice-link"' in page
    download = client.get(reverse("tickets:order_invoice", kwargs={"code": order.code}))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # asking again with nothing changed renders and sends nothing new
    name = invoice.file.name
    _request_invoice(client, order, django_capture_on_commit_callbacks)
    assert CompanyInvoice.objects.get().file.name == name
    assert len(mailoutbox) == 1


def test_kazakh_invoice_of_a_vat_payer(client, stalls, django_capture_on_commit_callbacks):
    organizer = stalls.session.event.organizer
    organizer.vat_payer = True
    organizer.save(update_fields=["vat_payer"])
    order = _company_order(client, stalls, language="kk")
    assert order.language == "kk"
    invoice = _request_invoice(client, order, django_capture_on_commit_callbacks)
    with invoice.file.open("rb") as handle:
        text = _text(handle.read())
    assert "Жиырма бес мың теңге 00 тиын" in text
    assert "ҚҚС 12%" in text
    assert invoice.vat_amount == Decimal("2678.57") == vat_included(Decimal("25000"), organizer)
    assert "2 678,57" in text or "2 678.57" in text


def test_organizers_team_downloads_the_invoice_accountant_too(
    client, stalls, django_capture_on_commit_callbacks
):
    order = _company_order(client, stalls)
    _request_invoice(client, order, django_capture_on_commit_callbacks)
    organizer = order.event.organizer
    url = reverse("tickets:cabinet_order_invoice", args=[organizer.slug, order.code])
    team = client.__class__()
    team.force_login(MembershipFactory(organizer=organizer, role="accountant").user)
    response = team.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    team.force_login(MembershipFactory(organizer=organizer, role="checkin").user)
    assert team.get(url).status_code == 403


def test_personal_orders_get_no_invoice(client, stalls, django_capture_on_commit_callbacks):
    choose(client, stalls.session, {stalls: 1})
    key = idempotency_key(client)
    client.post(reverse("tickets:checkout"), buyer_data(key))
    order = Order.objects.get()
    assert "Получить счёт" not in client.get(order.get_absolute_url()).content.decode()
    url = reverse("tickets:order_invoice_request", kwargs={"code": order.code})
    assert client.post(f"{url}?s={order.secret}").status_code == 404
    assert invoice_generate(order_id=order.pk) is None
    assert not CompanyInvoice.objects.exists()


def test_a_stranger_cannot_ask_for_or_download_the_invoice(
    client, stalls, django_capture_on_commit_callbacks
):
    order = _company_order(client, stalls)
    _request_invoice(client, order, django_capture_on_commit_callbacks)
    stranger = client.__class__()
    url = reverse("tickets:order_invoice", kwargs={"code": order.code})
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}?s=wrong").status_code == 404
    request_url = reverse("tickets:order_invoice_request", kwargs={"code": order.code})
    assert stranger.post(request_url).status_code == 404

"""Buying for an organisation at checkout: its details on the order, holders per ticket, the
organisations a signed-in buyer keeps, and the errors a buyer can fix."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionFactory, TicketTypeFactory, UserFactory
from tests.tickets.helpers import buyer_data, choose, idempotency_key
from tickets.models import Order, OrderCompany, Reservation, SavedOrganisation

pytestmark = pytest.mark.django_db

BIN = "180240021341"
COMPANY = {
    "as_company": "on",
    "company_name": "ТОО «Алтын Дала»",
    "company_bin": "1802 4002 1341",
    "company_address": "г. Астана, ул. Кенесары, 40",
}


@pytest.fixture
def stalls(policy):
    session = SessionFactory(event__allow_company_purchases=True)
    return TicketTypeFactory(session=session, name_ru="Партер", price=Decimal("10000"), quantity=9)


def _checkout(client, stalls, quantity: int = 2, **extra):
    choose(client, stalls.session, {stalls: quantity})
    key = idempotency_key(client)
    return client.post(reverse("tickets:checkout"), buyer_data(key, **extra))


def test_checkout_offers_the_organisation_only_when_the_event_allows_it(client, stalls):
    choose(client, stalls.session, {stalls: 1})
    html = client.get(reverse("tickets:checkout")).content.decode()
    assert 'name="as_company"' in html
    assert "Покупаю для организации" in html
    stalls.session.event.allow_company_purchases = False
    stalls.session.event.save(update_fields=["allow_company_purchases"])
    html = client.get(reverse("tickets:checkout")).content.decode()
    assert 'name="as_company"' not in html and 'name="company_bin"' not in html


def test_company_order_keeps_the_organisation_and_names_the_holders(client, stalls):
    response = _checkout(
        client, stalls, holder_names="Болат Нурланов\n\n  Сауле Ким  \n", **COMPANY
    )
    assert response.status_code == 302
    order = Order.objects.get()
    company = OrderCompany.objects.get(order=order)
    assert (company.legal_name, company.bin_iin) == ("ТОО «Алтын Дала»", BIN)
    assert company.legal_address == "г. Астана, ул. Кенесары, 40"
    assert [item.holder_name for item in order.items.order_by("id")] == [
        "Болат Нурланов",
        "Сауле Ким",
    ]
    assert order.full_name == "Иванова Айгерим"  # the buyer is the contact person
    assert not SavedOrganisation.objects.exists()  # a guest keeps no list


def test_unticked_box_makes_a_personal_order_even_with_fields_filled(client, stalls):
    data = {**COMPANY, "as_company": ""}
    assert _checkout(client, stalls, **data).status_code == 302
    assert not OrderCompany.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("company_bin", "180240021342", "контрольная цифра"),
        ("company_bin", "12345", "ровно 12 цифр"),
        ("company_name", "  ", "Заполните"),
        ("company_address", "", "Заполните"),
    ],
)
def test_organisation_errors_are_shown_and_no_order_is_made(client, stalls, field, value, message):
    response = _checkout(client, stalls, **{**COMPANY, field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not Order.objects.exists()
    assert Reservation.objects.filter(released_at__isnull=True).count() == 1  # still held


def test_more_holder_names_than_tickets_is_refused_and_nothing_is_written(client, stalls):
    response = _checkout(client, stalls, quantity=1, holder_names="А Б\nВ Г", **COMPANY)
    assert response.status_code == 400
    assert "больше имён" in response.content.decode()
    assert not Order.objects.exists() and not OrderCompany.objects.exists()


def test_an_organisation_posted_for_an_event_not_selling_to_them_is_ignored(client, stalls):
    stalls.session.event.allow_company_purchases = False
    stalls.session.event.save(update_fields=["allow_company_purchases"])
    assert _checkout(client, stalls, **COMPANY).status_code == 302
    assert not OrderCompany.objects.exists()


def test_signed_in_buyer_keeps_the_organisation_and_chooses_it_next_time(client, stalls):
    user = UserFactory()
    client.force_login(user)
    assert _checkout(client, stalls, **COMPANY).status_code == 302
    saved = SavedOrganisation.objects.get(user=user)
    assert saved.bin_iin == BIN

    html = client.get(reverse("tickets:organisations")).content.decode()
    assert "ТОО «Алтын Дала»" in html and BIN in html

    choose(client, stalls.session, {stalls: 1})
    page = client.get(reverse("tickets:checkout")).content.decode()
    assert f'<option value="{saved.pk}">ТОО «Алтын Дала» ({BIN})</option>' in page
    key = idempotency_key(client)
    data = buyer_data(key, as_company="on", company_saved=str(saved.pk))
    assert client.post(reverse("tickets:checkout"), data).status_code == 302
    second = Order.objects.order_by("-id").first()
    assert second.company.bin_iin == BIN
    assert SavedOrganisation.objects.filter(user=user).count() == 1


def test_buyer_removes_a_saved_organisation_but_not_anothers(client):
    owner, other = UserFactory(), UserFactory()
    mine = SavedOrganisation.objects.create(
        user=owner, legal_name="ТОО А", bin_iin=BIN, legal_address="А", last_used_at=timezone.now()
    )
    client.force_login(other)
    url = reverse("tickets:organisation_delete", kwargs={"pk": mine.pk})
    assert client.post(url).status_code == 404
    assert SavedOrganisation.objects.filter(pk=mine.pk).exists()
    client.force_login(owner)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not SavedOrganisation.objects.exists()


def test_the_account_page_links_to_the_organisations(client):
    client.force_login(UserFactory())
    html = client.get(reverse("account_overview")).content.decode()
    assert reverse("tickets:organisations") in html
    assert client.get(reverse("tickets:organisations")).status_code == 200

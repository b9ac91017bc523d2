"""Company orders and privacy: the contact person is a buyer like any other (consent, blocking,
masking), and a sole proprietor's ИИН is personal data masked with them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import ConsentRecord
from privacy.services.access import subject_data_collect
from tests.factories import MembershipFactory, SessionFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.flows import place_order
from tickets.companies.inputs import CompanyDetails
from tickets.models import OrderItem, SavedOrganisation

pytestmark = pytest.mark.django_db

LLP = CompanyDetails(
    legal_name="ТОО «Алтын Дала»", bin_iin="180240021341", legal_address="Астана, Кенесары 40"
)
SOLE_PROPRIETOR = CompanyDetails(
    legal_name="ИП Сейткали Д.", bin_iin="850315300158", legal_address="Алматы, Абая 1"
)


def _company_order(company: CompanyDetails, email: str = "contact@example.kz"):
    ticket_type = TicketTypeFactory(
        session=SessionFactory(event__allow_company_purchases=True),
        price=Decimal("5000"),
        quantity=10,
    )
    return place_order({ticket_type: 2}, email=email, company=company)


def _cabinet_html(client, order) -> str:
    organizer = order.event.organizer
    client.force_login(MembershipFactory(organizer=organizer).user)
    url = reverse("tickets:cabinet_order", args=[organizer.slug, order.code])
    return client.get(url).content.decode()


def test_consent_of_the_contact_person_is_recorded_like_any_buyers():
    order = _company_order(LLP)
    assert ConsentRecord.objects.filter(source=f"order:{order.code}", email=order.email).exists()


def test_cabinet_shows_the_organisation_of_an_order(client):
    order = _company_order(LLP)
    html = _cabinet_html(client, order)
    assert "ТОО «Алтын Дала»" in html and "180240021341" in html
    assert "contact@example.kz" in html


def test_blocked_contact_is_masked_but_a_legal_entity_stays(client):
    order = _company_order(LLP)
    make_blocked(staff=UserFactory(is_staff=True), email="contact@example.kz")
    html = _cabinet_html(client, order)
    assert "contact@example.kz" not in html
    assert "180240021341" in html  # a БИН is not personal data


def test_blocked_sole_proprietor_is_masked_with_the_contact(client):
    order = _company_order(SOLE_PROPRIETOR)
    assert "850315300158" in _cabinet_html(client, order)
    make_blocked(staff=UserFactory(is_staff=True), email="contact@example.kz")
    html = _cabinet_html(client, order)
    assert "850315300158" not in html and "Сейткали" not in html
    assert "contact@example.kz" not in html
    # the buyer still sees their own order in full
    buyer_page = client.__class__().get(order.get_absolute_url()).content.decode()
    assert "850315300158" in buyer_page


def test_access_request_includes_the_organisation_holders_and_saved_organisations():
    user = UserFactory()
    order = _company_order(SOLE_PROPRIETOR)
    order.user = user
    order.save(update_fields=["user"])
    OrderItem.objects.filter(order=order).update(holder_name="Болат Нурланов")
    SavedOrganisation.objects.create(
        user=user,
        legal_name="ТОО «Алтын Дала»",
        bin_iin="180240021341",
        legal_address="Астана",
        last_used_at=timezone.now(),
    )
    text = str(subject_data_collect(email="contact@example.kz", user=user))
    assert "850315300158" in text and "ИП Сейткали Д." in text
    assert "Болат Нурланов" in text
    assert "ТОО «Алтын Дала»" in text

"""Whether companies may buy and pay by bank transfer is set per event in the cabinet's form."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _edit_url(event):
    return reverse(
        "events_cabinet:event_edit",
        kwargs={"organizer_slug": event.organizer.slug, "pk": event.pk},
    )


def test_company_sales_are_off_by_default_with_five_working_days(manager_client):
    event = EventFactory(organizer=manager_client.organizer)
    assert event.allow_company_purchases is False
    assert event.allow_bank_transfer is False
    assert (event.bank_transfer_min_tickets, event.bank_transfer_days) == (1, 5)
    html = manager_client.get(_edit_url(event)).content.decode()
    for name in (
        "allow_company_purchases",
        "allow_bank_transfer",
        "bank_transfer_min_tickets",
        "bank_transfer_days",
    ):
        assert f'name="{name}"' in html
    assert "Продажи компаниям" in html


def test_organizer_allows_companies_and_bank_transfer(manager_client, event_form_data):
    event = EventFactory(organizer=manager_client.organizer)
    data = {
        **event_form_data,
        "allow_company_purchases": "on",
        "allow_bank_transfer": "on",
        "bank_transfer_min_tickets": "10",
        "bank_transfer_days": "3",
    }
    response = manager_client.post(_edit_url(event), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.allow_company_purchases and event.allow_bank_transfer
    assert (event.bank_transfer_min_tickets, event.bank_transfer_days) == (10, 3)
    # A form that leaves the numbers out keeps them.
    manager_client.post(_edit_url(event), {**event_form_data, "allow_company_purchases": "on"})
    event.refresh_from_db()
    assert event.allow_bank_transfer is False
    assert (event.bank_transfer_min_tickets, event.bank_transfer_days) == (10, 3)


def test_bank_transfer_without_company_purchases_is_a_form_error(manager_client, event_form_data):
    event = EventFactory(organizer=manager_client.organizer)
    response = manager_client.post(
        _edit_url(event), {**event_form_data, "allow_bank_transfer": "on"}
    )
    assert response.status_code == 200
    assert "allow_bank_transfer" in response.context["form"].errors
    event.refresh_from_db()
    assert event.allow_bank_transfer is False


@pytest.mark.parametrize(
    ("field", "value"),
    [("bank_transfer_min_tickets", "0"), ("bank_transfer_days", "0"), ("bank_transfer_days", "31")],
)
def test_out_of_range_numbers_are_form_errors(manager_client, event_form_data, field, value):
    event = EventFactory(organizer=manager_client.organizer)
    data = {**event_form_data, "allow_company_purchases": "on", field: value}
    response = manager_client.post(_edit_url(event), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_the_database_refuses_zero_working_days():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(bank_transfer_days=0)

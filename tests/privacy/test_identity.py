"""One identity: every app compares e-mails and phones in the form privacy.identity gives them."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from organizers.models import Organizer
from privacy.identity import (
    normalise_email,
    normalise_phone,
    phone_from_stored_form,
    phone_stored_forms,
)
from privacy.models import BlockingRequest, Claim, ConsentRecord, SubjectAccessRequest
from privacy.services import blocked_index, consent_is_live, subject_is_blocked
from privacy.services.access import subject_data_collect
from tests.factories import OrganizerFactory, TicketTypeFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.factories import new_token
from tickets.forms import CheckoutForm
from tickets.models import Order
from tickets.services.cart import cart_set_quantities
from tickets.services.order_creation import ConsentInput, order_create

PRIVACY_MIGRATION = importlib.import_module("privacy.migrations.0009_renormalise_identities")
TICKETS_MIGRATION = importlib.import_module("tickets.migrations.0007_renormalise_buyer_identities")
ORGANIZERS_MIGRATION = importlib.import_module("organizers.migrations.0004_renormalise_contacts")


# --- The normalisers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "8 701 123 45 67",
        "+7 (701) 123-45-67",
        "7011234567",
        "87011234567",
        "77011234567",
        "+7 701 1234567",
        "8 (701) 123-45-67",
        "  +7-701-123-45-67  ",
        "8/701/1234567",
        "00 7 701 123 45 67",
        "８ ７０１ １２３ ４５ ６７",  # full-width digits from a phone keyboard
    ],
)
def test_every_usual_way_of_typing_a_kazakh_number_gives_one_e164_value(typed):
    assert normalise_phone(typed) == "+77011234567"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("8 10 44 20 7946 0958", "+442079460958"),  # Kazakhstan's own international prefix
        ("+1 (202) 555-0100", "+12025550100"),
        ("+380 44 123 4567", "+380441234567"),
        ("8 916 123 45 67", "+79161234567"),  # Russia shares +7
        ("8 727 250 00 00", "+77272500000"),  # an Almaty landline
    ],
)
def test_foreign_and_landline_numbers_keep_their_country(typed, normal):
    assert normalise_phone(typed) == normal


@pytest.mark.parametrize(
    "junk",
    [
        "",
        None,
        "   ",
        "12345",
        "+7 701 123 45",
        "+7 701 123 45 6",
        "+7 123 456 78 90",  # no such range
        "+77011234567999",
        "abc7011234567",
        "8 701 ABC 45 67",
        "+7 701 123 45 67 доб. 5",
        "нет телефона",
    ],
)
def test_what_is_not_a_valid_number_identifies_nobody(junk):
    assert normalise_phone(junk) == ""


def test_emails_are_compared_trimmed_and_lower_case():
    assert normalise_email("  Aigerim@Example.KZ ") == "aigerim@example.kz"
    assert normalise_email(None) == ""


def test_stored_forms_are_the_e164_value_and_what_the_old_normaliser_wrote():
    assert phone_stored_forms("8 701 123 45 67") == {
        "+77011234567",
        "+81077011234567",
        "+0077011234567",
    }
    assert "+9161234567" in phone_stored_forms("8 916 123 45 67")
    assert phone_stored_forms("12345") == set()


@pytest.mark.parametrize(
    ("stored", "normal"),
    [
        ("+77011234567", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("+810442079460958", "+442079460958"),
        ("+00442079460958", "+442079460958"),
        ("+9161234567", "+79161234567"),
        ("+12345", ""),
    ],
)
def test_a_stored_old_form_is_read_back_as_its_e164_value(stored, normal):
    assert phone_from_stored_form(stored) == normal


# --- Blocking matches across the apps ---------------------------------------------------------


def _order_through_checkout(*, phone: str, email: str) -> Order:
    form = CheckoutForm(
        data={
            "surname": "Садыкова",
            "name": "Айгерим",
            "phone": phone,
            "email": email,
            "consent_processing": "on",
            "idempotency_key": new_token(),
        }
    )
    assert form.is_valid(), form.errors
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=10)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={ticket_type.pk: 1})
    return order_create(
        cart_token=token,
        idempotency_key=form.cleaned_data["idempotency_key"],
        buyer=form.buyer(),
        consent=ConsentInput(processing_wording="Согласен", ip_address="10.0.0.1"),
    )


@pytest.mark.django_db
def test_a_block_typed_one_way_blocks_an_order_placed_another_way(staff_user):
    order = _order_through_checkout(phone="+7 701 1234567", email="buyer@example.kz")
    other = _order_through_checkout(phone="+7 701 765 43 21", email="other@example.kz")
    assert not subject_is_blocked(phone=order.phone)

    request = make_blocked(staff=staff_user, phone="8 (701) 123-45-67")

    assert request.subject_phone == order.phone == "+77011234567"
    assert subject_is_blocked(phone=order.phone)
    assert subject_is_blocked(phone="87011234567")
    index = blocked_index(phones=[order.phone, other.phone])
    assert index.is_blocked(phone=order.phone)
    assert index.is_blocked(phone="+7 (701) 123-45-67")
    assert not index.is_blocked(phone=other.phone)
    assert not subject_is_blocked(phone=other.phone)


@pytest.mark.django_db
def test_the_public_blocking_form_refuses_a_phone_it_cannot_read(client):
    data = {
        "requester_kind": "subject",
        "requester_name": "Садыкова Айгерим",
        "requester_email": "aigerim@example.kz",
        "subject_phone": "8 701 12",
        "grounds": "unlawful_processing",
    }
    response = client.post(reverse("privacy:blocking_request"), data)
    assert "Это не похоже на номер телефона" in response.content.decode()
    assert not BlockingRequest.objects.exists()

    data["subject_phone"] = "8 (701) 123-45-67"
    client.post(reverse("privacy:blocking_request"), data)
    assert BlockingRequest.objects.get().subject_phone == "+77011234567"


# --- The append-only ledger is matched, never rewritten ----------------------------------------


@pytest.mark.django_db
def test_a_ledger_row_in_an_old_form_still_counts_for_the_same_person():
    # What the old digits-only normaliser wrote for "916 123 45 67" typed without the 8.
    row = ConsentRecord.objects.create(
        purpose=ConsentRecord.Purpose.MARKETING,
        action=ConsentRecord.Action.GIVEN,
        wording="Согласен",
        channel=ConsentRecord.Channel.SITE,
        phone="+9161234567",
    )
    assert consent_is_live(purpose=ConsentRecord.Purpose.MARKETING, phone="8 916 123 45 67")
    assert consent_is_live(purpose=ConsentRecord.Purpose.MARKETING, phone="+7 916 123-45-67")
    sections = {s["key"]: s["data"] for s in subject_data_collect(phone="89161234567")["sections"]}
    assert [row["action"] for row in sections["consents"]] == ["Дано"]
    row.refresh_from_db()
    assert row.phone == "+9161234567"  # the evidence is kept as it was written


# --- The data migrations ----------------------------------------------------------------------


@pytest.mark.django_db
def test_privacy_migration_rewrites_old_forms_of_requests_and_claims(staff_user):
    blocked = make_blocked(staff=staff_user, phone="+77011234567")
    BlockingRequest.objects.filter(pk=blocked.pk).update(
        subject_phone="+9161234567",  # old form of "916 123 45 67"
        subject_email="Aigerim@Example.KZ",
        requester_phone="8 (701) 765-43-21",
        requester_email="Lawyer@Example.KZ",
    )
    access = SubjectAccessRequest.objects.create(
        requester_name="Айгерим",
        requester_email="a@example.kz",
        subject_email="a@example.kz",
        due_at=timezone.now(),
    )
    SubjectAccessRequest.objects.filter(pk=access.pk).update(subject_phone="+810442079460958")
    claim = Claim.objects.create(
        claimant_name="Ерлан",
        claimant_email="Erlan@Mail.KZ",
        claimant_phone="8 701 111 22 33",
        topic="Возврат",
        text="Верните деньги",
    )
    junk = Claim.objects.create(
        claimant_name="Кто-то", claimant_phone="не помню", topic="Вопрос", text="?"
    )
    assert not subject_is_blocked(phone="8 916 123 45 67")

    PRIVACY_MIGRATION.renormalise(django_apps, None)

    blocked.refresh_from_db()
    assert (blocked.subject_phone, blocked.subject_email) == ("+79161234567", "aigerim@example.kz")
    assert (blocked.requester_phone, blocked.requester_email) == (
        "+77017654321",
        "lawyer@example.kz",
    )
    assert SubjectAccessRequest.objects.get(pk=access.pk).subject_phone == "+442079460958"
    claim.refresh_from_db()
    assert (claim.claimant_phone, claim.claimant_email) == ("+77011112233", "erlan@mail.kz")
    assert Claim.objects.get(pk=junk.pk).claimant_phone == "не помню"  # kept, not erased
    assert subject_is_blocked(phone="8 916 123 45 67")


@pytest.mark.django_db
def test_tickets_migration_rewrites_old_forms_of_buyers(staff_user):
    order = _order_through_checkout(phone="+7 701 1234567", email="buyer@example.kz")
    Order.objects.filter(pk=order.pk).update(phone="8 701 123 45 67", email="Buyer@Example.KZ")
    make_blocked(staff=staff_user, phone="+77011234567")

    TICKETS_MIGRATION.renormalise(django_apps, None)

    order.refresh_from_db()
    assert (order.phone, order.email) == ("+77011234567", "buyer@example.kz")
    assert blocked_index(phones=[order.phone]).is_blocked(phone=order.phone)


@pytest.mark.django_db
def test_organizers_migration_rewrites_old_forms_of_contacts():
    organizer = OrganizerFactory()
    Organizer.objects.filter(pk=organizer.pk).update(phone="87011234567", email="Hello@Step.KZ")

    ORGANIZERS_MIGRATION.renormalise(django_apps, None)

    organizer.refresh_from_db()
    assert (organizer.phone, organizer.email) == ("+77011234567", "hello@step.kz")

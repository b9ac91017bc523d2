"""The legal profile's details for company buyers' documents: КБе, VAT and when acts are issued."""

from decimal import Decimal

import pytest
from django.urls import reverse

from organizers.models import Organizer
from tests.factories import MembershipFactory, OrganizerFactory

pytestmark = pytest.mark.django_db


def _profile_url(organizer: Organizer) -> str:
    return reverse("organizers:profile", kwargs={"organizer_slug": organizer.slug})


def test_owner_saves_kbe_vat_and_the_moment_acts_are_issued(client, valid_profile):
    membership = MembershipFactory(role="owner")
    client.force_login(membership.user)
    organizer = membership.organizer
    html = client.get(_profile_url(organizer)).content.decode()
    assert 'name="kbe"' in html and 'name="vat_payer"' in html and 'name="closing_act_on"' in html
    data = {
        **valid_profile,
        "kbe": " 17 ",
        "vat_payer": "on",
        "closing_act_on": Organizer.ClosingActOn.ON_PAYMENT,
    }
    response = client.post(_profile_url(organizer), data)
    assert response.status_code == 302, response.context["form"].errors
    organizer.refresh_from_db()
    assert organizer.kbe == "17"
    assert organizer.vat_payer is True
    assert organizer.vat_rate_percent == Decimal("12")
    assert organizer.closing_act_on == Organizer.ClosingActOn.ON_PAYMENT


@pytest.mark.parametrize("kbe", ["7", "171", "37", "10", "ab"])
def test_a_malformed_kbe_is_a_form_error(client, valid_profile, kbe):
    membership = MembershipFactory(role="owner")
    client.force_login(membership.user)
    organizer = membership.organizer
    response = client.post(_profile_url(organizer), {**valid_profile, "kbe": kbe})
    assert response.status_code == 200
    assert "kbe" in response.context["form"].errors
    organizer.refresh_from_db()
    assert organizer.kbe == ""


def test_a_form_without_the_new_fields_keeps_what_was_chosen(client, valid_profile):
    membership = MembershipFactory(
        role="owner", organizer__closing_act_on=Organizer.ClosingActOn.ON_PAYMENT
    )
    client.force_login(membership.user)
    response = client.post(_profile_url(membership.organizer), valid_profile)
    assert response.status_code == 302
    membership.organizer.refresh_from_db()
    assert membership.organizer.closing_act_on == Organizer.ClosingActOn.ON_PAYMENT
    assert membership.organizer.vat_payer is False
    assert membership.organizer.vat_rate_percent is None


def test_beneficiary_code_falls_back_to_the_usual_code_of_the_kind():
    assert OrganizerFactory.build(kind="too", kbe="").beneficiary_code == "17"
    assert OrganizerFactory.build(kind="ip", kbe="").beneficiary_code == "19"
    assert OrganizerFactory.build(kind="too", kbe="27").beneficiary_code == "27"

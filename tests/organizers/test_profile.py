"""Becoming an organizer: the legal profile, its validation and the review it goes to."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from organizers.models import Membership, Organizer
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_signed_in_user_becomes_owner_of_a_pending_organizer(
    user_client, valid_profile, django_capture_on_commit_callbacks, settings
):
    settings.STAFF_NOTIFICATION_EMAILS = ["review@eventum.one"]
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(reverse("organizers:organizer_create"), valid_profile)
    organizer = Organizer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organizers:dashboard", kwargs={"organizer_slug": organizer.slug}
    )
    assert organizer.slug == "step-kontsert"
    assert organizer.status == Organizer.Status.PENDING
    # Stored normalised.
    assert organizer.bin_iin == "180240021341"
    assert organizer.iban == "KZ86125KZT5004100100"
    assert organizer.phone == "+77011234567"
    assert Membership.objects.get(organizer=organizer).user == user_client.user
    assert Membership.objects.get(organizer=organizer).role == "owner"
    assert [m.to for m in mail.outbox] == [["review@eventum.one"]]
    dashboard = user_client.get(response["Location"])
    assert "проверке" in dashboard.content.decode()


def test_anonymous_user_is_asked_to_sign_in(client):
    response = client.get(reverse("organizers:organizer_create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "контрольная цифра"),
        ("kk", "бақылау"),
        ("en", "check digit does not match"),
    ],
)
def test_wrong_bin_is_refused_with_a_clear_message_in_the_current_language(
    user_client, valid_profile, language, expected
):
    valid_profile["bin_iin"] = "180240021346"
    with translation.override(language):
        url = reverse("organizers:organizer_create")
    response = user_client.post(url, valid_profile)
    assert response.status_code == 200
    assert not Organizer.objects.exists()
    errors = response.context["form"].errors["bin_iin"]
    assert expected in errors[0]
    assert expected in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("iban", "KZ87125KZT5004100100"),
        ("phone", "12345"),
        ("phone", "+7 701 123 45"),
        ("phone", "8 701 ABC 45 67"),
        ("bik", "123"),
        ("bin_iin", "850315300158"),  # an ИИН for an LLP
        ("email", "not-an-email"),
        ("legal_name", ""),
    ],
)
def test_invalid_values_get_a_form_error(user_client, valid_profile, field, value):
    valid_profile[field] = value
    response = user_client.post(reverse("organizers:organizer_create"), valid_profile)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organizer.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+7 (701) 123-45-67", "+77011234567"),
        ("7011234567", "+77011234567"),
        ("+1 202 555 0100", "+12025550100"),
    ],
)
def test_contact_phone_is_stored_in_the_one_normal_form(user_client, valid_profile, typed, stored):
    valid_profile["phone"] = typed
    response = user_client.post(reverse("organizers:organizer_create"), valid_profile)
    assert response.status_code == 302
    assert Organizer.objects.get().phone == stored


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "не похоже на номер телефона"), ("kk", "телефон нөміріне ұқсамайды")],
)
def test_invalid_contact_phone_gets_a_translated_error(
    user_client, valid_profile, language, expected
):
    valid_profile["phone"] = "8 701 123"
    with translation.override(language):
        url = reverse("organizers:organizer_create")
    response = user_client.post(url, valid_profile)
    assert response.status_code == 200
    assert expected in response.context["form"].errors["phone"][0]
    assert expected in response.content.decode()
    assert not Organizer.objects.exists()


def test_sole_proprietor_with_an_iin_is_accepted(user_client, valid_profile):
    valid_profile.update(kind="ip", bin_iin="850315300158", legal_name="ИП Сейткали")
    response = user_client.post(reverse("organizers:organizer_create"), valid_profile)
    assert response.status_code == 302
    assert Organizer.objects.get().kind == "ip"


def test_changing_bank_details_sends_a_verified_profile_back_to_review(client, valid_profile):
    membership = MembershipFactory(role="owner")
    organizer = membership.organizer
    client.force_login(membership.user)
    url = reverse("organizers:profile", kwargs={"organizer_slug": organizer.slug})
    data = {**valid_profile, "iban": "KZ05125KZT5004100200", "public_name": organizer.public_name}
    response = client.post(url, data)
    assert response.status_code == 302
    organizer.refresh_from_db()
    assert organizer.iban == "KZ05125KZT5004100200"
    assert organizer.status == Organizer.Status.PENDING


def test_changing_only_the_description_keeps_verification(client):
    membership = MembershipFactory(role="owner")
    organizer = membership.organizer
    client.force_login(membership.user)
    url = reverse("organizers:profile", kwargs={"organizer_slug": organizer.slug})
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["description"] = "Новое описание"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    organizer.refresh_from_db()
    assert organizer.description == "Новое описание"
    assert organizer.status == Organizer.Status.VERIFIED


def test_cabinet_index_lists_memberships_or_invites_to_become_organizer(user_client):
    response = user_client.get(reverse("organizers:cabinet"))
    assert response.status_code == 200
    assert reverse("organizers:organizer_create") in response.content.decode()
    membership = MembershipFactory(user=user_client.user, role="manager")
    response = user_client.get(reverse("organizers:cabinet"))
    assert response.status_code == 302
    assert membership.organizer.slug in response["Location"]


def test_a_new_organizer_gets_e_mails_in_the_language_of_the_page_and_may_change_it(
    user_client, valid_profile
):
    with translation.override("kk"):
        url = reverse("organizers:organizer_create")
    user_client.post(url, valid_profile)
    organizer = Organizer.objects.get()
    assert organizer.language == "kk"
    edit = reverse("organizers:profile", args=[organizer.slug])
    page = user_client.get(edit).content.decode()
    assert 'name="language"' in page and "English" in page
    user_client.post(edit, {**valid_profile, "language": "en"})
    organizer.refresh_from_db()
    assert organizer.language == "en"
    user_client.post(edit, {**valid_profile, "language": "xx"})
    organizer.refresh_from_db()
    assert organizer.language == "en"  # not a language of the portal: refused

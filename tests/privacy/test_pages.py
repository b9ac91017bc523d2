"""The public privacy pages: policy versions, links from every page, request forms."""

import pytest
from django.urls import reverse

from privacy.models import BlockingRequest, PolicyVersion, SubjectAccessRequest
from privacy.services import policy_current, policy_publish
from tests.privacy.conftest import scanned

pytestmark = pytest.mark.django_db


def _publish(version: str, text: str) -> PolicyVersion:
    return policy_publish(policy=PolicyVersion.objects.create(version=version, text_ru=text))


def test_policy_page_shows_the_current_version_and_lists_earlier_ones(client):
    _publish("2.0", "Новая редакция политики")
    response = client.get(reverse("privacy:policy"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Новая редакция политики" in html
    assert policy_current().content_hash in html
    assert reverse("privacy:policy_version", args=["1.0"]) in html


def test_earlier_version_stays_readable_at_its_own_address(client):
    original = PolicyVersion.objects.get(version="1.0").text_ru.splitlines()[0]
    _publish("2.0", "Новая редакция политики")
    response = client.get(reverse("privacy:policy_version", args=["1.0"]))
    assert response.status_code == 200
    assert original in response.content.decode()
    assert "no longer in force" in response.content.decode() or "не действует" in (
        response.content.decode()
    )


def test_draft_versions_are_not_public(client):
    PolicyVersion.objects.create(version="3.0-draft", text_ru="Черновик")
    assert client.get(reverse("privacy:policy_version", args=["3.0-draft"])).status_code == 404
    assert "Черновик" not in client.get(reverse("privacy:policy")).content.decode()


def test_every_page_links_the_policy_and_the_cookie_settings(client):
    html = client.get(reverse("events:home")).content.decode()
    assert f'href="{reverse("privacy:policy")}"' in html
    assert f'href="{reverse("privacy:cookie_settings")}"' in html


def test_sign_up_page_links_the_policy_and_offers_an_unticked_marketing_box(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert html.count(f'href="{reverse("privacy:policy")}"') >= 2  # notice and footer
    box = html[html.index('name="marketing_opt_in"') - 200 : html.index('name="marketing_opt_in"')]
    assert 'type="checkbox"' in html and "checked" not in box


def test_public_blocking_request_form_registers_a_request(client):
    response = client.post(
        reverse("privacy:blocking_request"),
        {
            "requester_kind": "legal_representative",
            "requester_name": "Садыков Ерлан",
            "requester_email": "lawyer@example.kz",
            "subject_email": "Child@Example.kz",
            "grounds": "unlawful_processing",
            "grounds_details": "Данные несовершеннолетнего",
            "authority_document": scanned("doverennost.pdf"),
        },
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    request = BlockingRequest.objects.get()
    assert request.channel == "site" and request.status == "received"
    assert request.subject_email == "child@example.kz"
    assert request.submitted_ip == "203.0.113.7"
    assert request.authority_document.name.startswith("privacy/blocking/")
    assert str(request.pk) in response.content.decode()


def test_representative_without_a_document_is_told_what_is_missing(client):
    response = client.post(
        reverse("privacy:blocking_request"),
        {
            "requester_kind": "legal_representative",
            "requester_name": "Садыков Ерлан",
            "requester_email": "lawyer@example.kz",
            "subject_email": "child@example.kz",
            "grounds": "other",
        },
    )
    assert response.status_code == 200
    assert not BlockingRequest.objects.exists()
    assert "errorlist" in response.content.decode()


def test_public_access_request_waits_for_the_email_confirmation(client):
    response = client.post(
        reverse("privacy:access_request"),
        {
            "requester_name": "Айгерим",
            "requester_email": "a@example.kz",
            "subject_email": "a@example.kz",
            "request_text": "Какие данные обо мне хранятся?",
        },
    )
    assert response.status_code == 200
    request = SubjectAccessRequest.objects.get()
    # not open for staff yet: the answer is due three working days after the link is opened
    # (tests/privacy/test_access_confirmation.py)
    assert request.channel == "site" and not request.is_open
    assert request.status == "unconfirmed" and request.confirmation_email == "a@example.kz"

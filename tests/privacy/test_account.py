"""The signed-in buyer's privacy pages: marketing choice, consent history, data download."""

import json

import pytest
from django.dispatch import receiver
from django.urls import reverse

from privacy.models import ConsentRecord, SubjectAccessRequest
from privacy.services import consent_record, disclosure_record, marketing_may_send
from privacy.signals import SubjectDataSection, subject_data_requested
from tests.factories import PASSWORD, UserFactory
from tests.privacy.conftest import make_blocked

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = UserFactory(email="me@example.kz", first_name="Айгерим")
    client.login(username=user.username, password=PASSWORD)
    return user


def test_pages_need_signing_in(client):
    for name, args in (("privacy:account", []), ("privacy:account_data", ["json"])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "login" in response["Location"]


def test_account_overview_links_the_privacy_pages(client, signed_in):
    html = client.get(reverse("account_overview")).content.decode()
    assert reverse("privacy:account") in html


def test_opting_in_and_out_from_the_account(client, signed_in):
    page = client.get(reverse("privacy:account")).content.decode()
    assert 'name="marketing"' in page and "checked" not in page.split('name="marketing"')[1][:40]
    client.post(reverse("privacy:account_marketing"), {"marketing": "on"})
    assert marketing_may_send(user=signed_in)
    client.post(reverse("privacy:account_marketing"), {})
    assert not marketing_may_send(user=signed_in)
    rows = ConsentRecord.objects.filter(user=signed_in, purpose="marketing").order_by("id")
    assert [(r.action, r.channel, r.source) for r in rows] == [
        ("given", "site", "account"),
        ("withdrawn", "site", "account"),
    ]


def test_consent_history_lists_every_row_with_its_policy_version(
    client, signed_in, django_assert_max_num_queries
):
    for n in range(5):
        consent_record(
            purpose="marketing",
            action="given" if n % 2 == 0 else "withdrawn",
            wording=f"Формулировка {n}",
            channel="site",
            email="me@example.kz",
        )
    with django_assert_max_num_queries(12):
        html = client.get(reverse("privacy:account")).content.decode()
    for n in range(5):
        assert f"Формулировка {n}" in html
    assert reverse("privacy:policy_version", args=["1.0"]) in html


def test_blocked_buyer_cannot_opt_in(client, signed_in, staff_user):
    make_blocked(staff=staff_user, user=signed_in)
    response = client.post(reverse("privacy:account_marketing"), {"marketing": "on"}, follow=True)
    assert not ConsentRecord.objects.filter(purpose="marketing").exists()
    assert "notice" in response.content.decode()


def test_download_holds_profile_consents_blocking_and_other_apps_sections(
    client, signed_in, staff_user
):
    consent_record(
        purpose="processing_and_transfer",
        action="given",
        wording="Согласие при покупке",
        channel="site",
        user=signed_in,
        source="order:AB12",
    )
    disclosure_record(
        actor=staff_user,
        recipient="ТОО «Домбра Лайв»",
        subjects=["me@example.kz"],
        fields=["name", "email"],
        purpose="Список участников",
        channel="export",
    )

    @receiver(subject_data_requested)
    def orders(sender, *, user, email, **kwargs):
        return SubjectDataSection("orders", "Заказы", [{"code": "AB12", "email": email}])

    try:
        response = client.get(reverse("privacy:account_data", args=["json"]))
    finally:
        subject_data_requested.disconnect(orders)
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    sections = {s["key"]: s["data"] for s in data["sections"]}
    assert sections["profile"]["email"] == "me@example.kz"
    assert sections["profile"]["first_name"] == "Айгерим"
    assert sections["consents"][0]["wording"] == "Согласие при покупке"
    assert sections["blocking"]["is_blocked"] is False
    assert sections["disclosures"][0]["recipient"] == "ТОО «Домбра Лайв»"
    assert sections["orders"] == [{"code": "AB12", "email": "me@example.kz"}]
    access = SubjectAccessRequest.objects.get()
    assert access.channel == "account" and access.status == "answered"


def test_download_shows_the_blocking_state(client, signed_in, staff_user):
    make_blocked(staff=staff_user, user=signed_in)
    data = json.loads(client.get(reverse("privacy:account_data", args=["json"])).content)
    blocking = next(s["data"] for s in data["sections"] if s["key"] == "blocking")
    assert blocking["is_blocked"] is True and blocking["requests"][0]["blocked_at"]


def test_readable_page_and_pdf(client, signed_in):
    consent_record(
        purpose="marketing", action="given", wording="Хочу новости", channel="site", user=signed_in
    )
    html = client.get(reverse("privacy:account_data", args=["html"]))
    assert html.status_code == 200 and "Хочу новости" in html.content.decode()
    assert "Показанная формулировка" in html.content.decode()  # readable labels, not keys
    pdf = client.get(reverse("privacy:account_data", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("privacy:account_data", args=["xml"])).status_code == 404

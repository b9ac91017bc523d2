"""Cookie consent: banner, choice in a cookie and in the ledger, nothing optional before it."""

import pytest
from django.urls import reverse

from privacy.models import ConsentRecord
from privacy.services.cookies import COOKIE_NAME, cookie_choice_parse
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NECESSARY = {"csrftoken", "sessionid"}


def test_first_visit_shows_the_banner_and_sets_only_necessary_cookies(client):
    response = client.get(reverse("events:home"))
    html = response.content.decode()
    assert 'id="cookie-banner"' in html and 'id="cookie-banner" class="cookie-banner" ' in html
    assert 'aria-labelledby="cookie-banner-title" hidden' not in html
    assert set(response.cookies) <= NECESSARY
    assert "cookie-consent.js" in html and "<script>" not in html  # external script only


@pytest.mark.parametrize(
    ("choice", "extra", "analytics", "marketing"),
    [
        ("accept_all", {}, True, True),
        ("reject_all", {"analytics": "on"}, False, False),
        ("save", {"analytics": "on"}, True, False),
    ],
)
def test_choice_without_javascript_is_stored_in_a_cookie_and_the_ledger(
    client, choice, extra, analytics, marketing
):
    response = client.post(
        reverse("privacy:cookie_settings"),
        {"choice": choice, "next": "/events/", **extra},
        REMOTE_ADDR="203.0.113.50",
        HTTP_USER_AGENT="Firefox",
    )
    assert response.status_code == 302 and response["Location"] == "/events/"
    stored = cookie_choice_parse(response.cookies[COOKIE_NAME].value)
    assert (stored.decided, stored.analytics, stored.marketing) == (True, analytics, marketing)
    assert stored.policy_version == "1.0"
    rows = {r.purpose: r for r in ConsentRecord.objects.all()}
    assert rows["cookies_analytics"].action == ("given" if analytics else "withdrawn")
    assert rows["cookies_marketing"].action == ("given" if marketing else "withdrawn")
    row = rows["cookies_analytics"]
    assert row.policy_version.version == "1.0" and row.created_at is not None
    assert row.ip_address == "203.0.113.50" and row.user_agent == "Firefox"
    assert row.browser_id == stored.browser_id != ""
    assert "signing in" in row.wording or "авторизац" in row.wording


def test_choice_from_the_banner_script_gets_json(client):
    response = client.post(
        reverse("privacy:cookie_settings"),
        {"choice": "save", "marketing": "on"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json() == {"analytics": False, "marketing": True}
    assert COOKIE_NAME in response.cookies


def test_banner_is_hidden_once_decided_and_the_footer_reopens_the_choice(client):
    client.post(reverse("privacy:cookie_settings"), {"choice": "reject_all"})
    html = client.get(reverse("events:home")).content.decode()
    assert 'aria-labelledby="cookie-banner-title" hidden' in html
    assert "data-cookie-settings" in html
    page = client.get(reverse("privacy:cookie_settings")).content.decode()
    assert 'name="analytics"' in page and 'value="reject_all"' in page


def test_changing_the_choice_keeps_the_browser_id_and_records_again(client):
    client.post(reverse("privacy:cookie_settings"), {"choice": "accept_all"})
    first = ConsentRecord.objects.filter(purpose="cookies_analytics").get()
    client.post(reverse("privacy:cookie_settings"), {"choice": "reject_all"})
    rows = ConsentRecord.objects.filter(purpose="cookies_analytics").order_by("id")
    assert [r.action for r in rows] == ["given", "withdrawn"]
    assert rows[1].browser_id == first.browser_id


def test_signed_in_choice_is_tied_to_the_account(client):
    user = UserFactory(email="cookie@example.kz")
    client.login(username=user.username, password=PASSWORD)
    client.post(reverse("privacy:cookie_settings"), {"choice": "accept_all"})
    assert ConsentRecord.objects.filter(user=user, email="cookie@example.kz").count() == 2


def test_unsafe_next_address_is_ignored(client):
    response = client.post(
        reverse("privacy:cookie_settings"),
        {"choice": "accept_all", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("events:home")


def test_garbage_in_the_cookie_means_undecided():
    assert not cookie_choice_parse("v1|a:maybe").decided
    assert not cookie_choice_parse("something else").decided
    assert cookie_choice_parse("v1|a:1|m:0|p:1.0|id:nonsense").browser_id == ""


def test_banner_speaks_the_page_language(client):
    ru = client.get(reverse("events:home")).content.decode()
    kk = client.get("/kk/").content.decode()
    en = client.get("/en/").content.decode()
    assert "Allow all cookies" in en
    assert "Allow all cookies" not in ru and "Allow all cookies" not in kk

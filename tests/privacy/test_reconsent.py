"""A material policy version asks signed-in buyers again (a page, not a trap), shows the cookie
banner again to everyone, and checkout records it; a non-material one just takes effect."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from privacy.models import ConsentRecord, ConsentWithdrawal, PolicyVersion
from privacy.services import consent_is_live, consent_record, policy_current, policy_publish
from privacy.services.cookies import COOKIE_NAME
from tests.factories import SessionFactory, TicketTypeFactory, UserFactory

pytestmark = pytest.mark.django_db

PROCESSING = ConsentRecord.Purpose.PROCESSING_AND_TRANSFER


def _publish(version: str, *, material: bool, **texts) -> PolicyVersion:
    texts.setdefault("text_ru", f"Политика, версия {version}.")
    return policy_publish(
        policy=PolicyVersion.objects.create(version=version, material=material, **texts)
    )


def _consented_buyer(client, email: str = "aigerim@example.kz"):
    """A signed-in buyer who accepted the version in force (1.0) at sign-up."""
    user = UserFactory(email=email)
    consent_record(
        purpose=PROCESSING,
        action=ConsentRecord.Action.GIVEN,
        wording="…",
        channel=ConsentRecord.Channel.SITE,
        user=user,
        source="signup",
    )
    client.force_login(user)
    return user


def _accept_url(next_path: str = "/") -> str:
    return f"{reverse('privacy:policy_accept')}?next={quote(next_path, safe='')}"


def test_a_material_version_sends_a_signed_in_buyer_to_the_accept_page(client):
    _consented_buyer(client)
    assert client.get("/").status_code == 200
    _publish("2.0", material=True, changes_ru="Добавлены новые партнёры.")
    response = client.get("/?page=2")
    assert response.status_code == 302
    assert response["Location"] == _accept_url("/?page=2")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "2.0" in html and "Добавлены новые партнёры." in html
    assert 'name="decision" value="accept"' in html and 'name="decision" value="refuse"' in html
    assert reverse("account_logout") in html  # a way out, not a trap


def test_accepting_records_the_new_version_and_goes_back(client):
    user = _consented_buyer(client)
    _publish("2.0", material=True, text_kk="Саясат, 2.0 нұсқасы.")
    response = client.post(
        "/kk" + reverse("privacy:policy_accept"),
        {"decision": "accept", "version": "2.0", "next": "/kk/?page=2"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302 and response["Location"] == "/kk/?page=2"
    row = ConsentRecord.objects.filter(user=user, purpose=PROCESSING).latest("id")
    assert row.action == ConsentRecord.Action.GIVEN and row.source == "policy-reconsent"
    assert (row.policy_version.version, row.policy_language) == ("2.0", "kk")
    assert "2.0" in row.wording and row.ip_address == "203.0.113.9"
    assert client.get("/").status_code == 200  # not asked again


def test_accepting_a_version_that_was_superseded_meanwhile_asks_to_read_the_new_one(client):
    user = _consented_buyer(client)
    _publish("2.0", material=True)
    page = client.get(_accept_url())
    assert 'value="2.0"' in page.content.decode()
    _publish("3.0", material=True)
    response = client.post(
        reverse("privacy:policy_accept"), {"decision": "accept", "version": "2.0", "next": "/"}
    )
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("privacy:policy_accept")
    )
    assert not ConsentRecord.objects.filter(user=user, source="policy-reconsent").exists()
    assert 'value="3.0"' in client.get(response["Location"]).content.decode()


def test_refusing_is_a_withdrawal_of_consent_with_its_consequences_explained(client):
    user = _consented_buyer(client)
    _publish("2.0", material=True)
    html = client.get(_accept_url()).content.decode()
    assert "tickets you already bought" in html or "купленные билеты" in html
    unconfirmed = client.post(reverse("privacy:policy_accept"), {"decision": "refuse"})
    assert unconfirmed.status_code == 302
    assert not ConsentWithdrawal.objects.exists()
    response = client.post(
        reverse("privacy:policy_accept"), {"decision": "refuse", "confirm": "yes", "next": "/"}
    )
    assert response["Location"] == reverse("privacy:account")
    withdrawal = ConsentWithdrawal.objects.get(subject_user=user)
    assert withdrawal.scope == ConsentWithdrawal.Scope.ALL
    assert not consent_is_live(purpose=PROCESSING, user=user)
    assert client.get("/").status_code == 200  # decided: the buyer browses on


def test_while_asked_the_buyer_can_still_read_the_policy_and_the_privacy_pages(client):
    _consented_buyer(client)
    _publish("2.0", material=True)
    for url in (
        reverse("privacy:policy"),
        reverse("privacy:account"),
        reverse("privacy:cookie_settings"),
        reverse("privacy:blocking_request"),
    ):
        assert client.get(url).status_code == 200, url
    # Only page views are redirected: not form posts, nor scripts asking for JSON.
    assert client.get("/", HTTP_ACCEPT="application/json").status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and "accept" not in response["Location"]


def test_a_non_material_version_takes_effect_without_asking(client):
    user = _consented_buyer(client)
    _publish("1.1", material=False)
    assert client.get("/").status_code == 200
    assert policy_current().version == "1.1"
    assert consent_is_live(purpose=PROCESSING, user=user)


def test_a_non_material_version_after_the_material_one_does_not_ask_again(client):
    user = _consented_buyer(client)
    _publish("2.0", material=True)
    client.post(
        reverse("privacy:policy_accept"), {"decision": "accept", "version": "2.0", "next": "/"}
    )
    _publish("2.1", material=False)
    client.logout()
    client.force_login(user)  # a new session asks the ledger again
    assert client.get("/").status_code == 200


def test_buyers_who_withdrew_or_never_consented_are_not_asked(client):
    withdrew = _consented_buyer(client, email="withdrew@example.kz")
    client.post(reverse("privacy:account_withdraw"), {"confirm": "yes"})
    assert not consent_is_live(purpose=PROCESSING, user=withdrew)
    _publish("2.0", material=True)
    assert client.get("/").status_code == 200
    client.force_login(UserFactory(email="never@example.kz"))
    assert client.get("/").status_code == 200
    assert client.get(reverse("privacy:policy_accept"))["Location"] == reverse("events:home")


def test_the_cookie_banner_shows_again_to_everyone_after_a_material_version(client):
    choice = client.post(reverse("privacy:cookie_settings"), {"choice": "accept_all", "next": "/"})
    assert choice.status_code == 302 and client.cookies[COOKIE_NAME].value
    hidden = 'id="cookie-banner" class="cookie-banner" aria-labelledby="cookie-banner-title" hidden'
    assert hidden in client.get("/").content.decode()
    _publish("1.1", material=False)
    assert hidden in client.get("/").content.decode()
    _publish("2.0", material=True)
    html = client.get("/").content.decode()
    assert 'id="cookie-banner"' in html and hidden not in html
    # Optional cookies stay off until the visitor chooses again under the new version.
    assert 'name="analytics" value="on" checked' not in html
    client.post(reverse("privacy:cookie_settings"), {"choice": "reject_all", "next": "/"})
    assert hidden in client.get("/").content.decode()
    assert "p:2.0" in client.cookies[COOKIE_NAME].value


def test_checkout_after_a_material_version_records_the_new_version(client):
    from tests.tickets.helpers import buyer_data, choose, idempotency_key

    _publish("2.0", material=True)
    tt = TicketTypeFactory(session=SessionFactory(), quantity=5)
    choose(client, tt.session, {tt: 1})
    response = client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    assert response.status_code == 302
    row = ConsentRecord.objects.get(purpose=PROCESSING, source__startswith="order:")
    assert (row.policy_version.version, row.policy_language) == ("2.0", "ru")


def test_a_signed_in_buyer_is_asked_before_checkout_and_then_buys_under_the_new_version(client):
    from tests.tickets.helpers import buyer_data, choose, idempotency_key

    user = _consented_buyer(client)
    _publish("2.0", material=True)
    tt = TicketTypeFactory(session=SessionFactory(), quantity=5)
    choose(client, tt.session, {tt: 1})
    checkout = client.get(reverse("tickets:checkout"))
    assert checkout.status_code == 302
    assert checkout["Location"] == _accept_url(reverse("tickets:checkout"))
    accepted = client.post(
        reverse("privacy:policy_accept"),
        {"decision": "accept", "version": "2.0", "next": reverse("tickets:checkout")},
    )
    assert accepted["Location"] == reverse("tickets:checkout")
    response = client.post(
        reverse("tickets:checkout"), buyer_data(idempotency_key(client), email=user.email)
    )
    assert response.status_code == 302
    row = ConsentRecord.objects.get(purpose=PROCESSING, source__startswith="order:")
    assert row.policy_version.version == "2.0"

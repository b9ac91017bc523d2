"""allauth's rate limits: five failed logins lock the account; password resets are capped.

Behind the shipped nginx every request comes from the proxy's address; the limits must count
the visitor's address that nginx appends to X-Forwarded-For (``TRUSTED_PROXY_COUNT=1``).
"""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts. Try again later."
NGINX = "172.18.0.7"  # the proxy container: REMOTE_ADDR of every request behind it


@pytest.fixture
def behind_nginx(settings):
    """As docker-compose runs it: one proxy that appends the address it saw."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _forwarded_for(visitor: str, sent_by_client: str = "") -> str:
    """X-Forwarded-For as nginx passes it on: whatever the client sent, then the visitor."""
    return f"{sent_by_client}, {visitor}" if sent_by_client else visitor


def _login(client, email: str, password: str, ip: str = "203.0.113.10", **headers):
    with translation.override("en"):
        url = reverse("account_login")
    return client.post(url, {"login": email, "password": password}, REMOTE_ADDR=ip, **headers)


def _login_via_nginx(client, email: str, password: str, visitor: str, sent_by_client: str = ""):
    forwarded = _forwarded_for(visitor, sent_by_client)
    return _login(client, email, password, ip=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def _reset(client, email: str, ip: str = "203.0.113.20", **headers):
    with translation.override("en"):
        url = reverse("account_reset_password")
    return client.post(url, {"email": email}, REMOTE_ADDR=ip, **headers)


def test_limits_are_configured():
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login_failed"] == "5/5m/ip,5/5m/key"
    assert limits["reset_password"] == "5/h/ip,3/h/key"


def test_sixth_login_with_the_right_password_is_refused_after_five_failures(client):
    user = UserFactory()
    for _ in range(5):
        response = _login(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert LOCKED not in response.context["form"].non_field_errors()

    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_not_only_per_address(client):
    user = UserFactory()
    for attempt in range(5):
        _login(client, user.email, "wrong-password", ip=f"198.51.100.{attempt + 1}")

    response = _login(client, user.email, PASSWORD, ip="198.51.100.99")
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert "_auth_user_id" not in client.session


def test_other_accounts_still_sign_in_from_another_address(client):
    locked, other = UserFactory(), UserFactory()
    for _ in range(5):
        _login(client, locked.email, "wrong-password")

    response = _login(client, other.email, PASSWORD, ip="192.0.2.50")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_fewer_than_five_failures_do_not_lock(client):
    user = UserFactory()
    for _ in range(4):
        _login(client, user.email, "wrong-password")

    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_fourth_reset_request_for_one_address_is_refused_and_not_mailed(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = _reset(client, user.email)
        assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[user.email]] * 3

    with django_capture_on_commit_callbacks(execute=True):
        response = _reset(client, user.email)
    assert response.status_code == 429
    # Callbacks ran (the IP log may hand a full buffer over at any request): no mail left.
    assert len(mail.outbox) == 3


def test_sixth_reset_request_from_one_address_is_refused_and_not_mailed(
    client, django_capture_on_commit_callbacks
):
    users = UserFactory.create_batch(6)
    for user in users[:5]:
        with django_capture_on_commit_callbacks(execute=True):
            assert _reset(client, user.email).status_code == 302
    assert len(mail.outbox) == 5

    with django_capture_on_commit_callbacks(execute=True):
        response = _reset(client, users[5].email)
    assert response.status_code == 429
    # Callbacks ran (the IP log may hand a full buffer over at any request): no mail left.
    assert [m.to for m in mail.outbox] == [[user.email] for user in users[:5]]


def test_behind_nginx_five_visitors_failing_do_not_lock_out_a_sixth(client, behind_nginx):
    users = UserFactory.create_batch(6)
    for n, user in enumerate(users[:5]):
        response = _login_via_nginx(client, user.email, "wrong-password", f"198.51.100.{n + 1}")
        assert LOCKED not in response.context["form"].non_field_errors()

    response = _login_via_nginx(client, users[5].email, PASSWORD, "198.51.100.6")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users[5].pk)


def test_without_the_proxy_count_nginx_address_locks_everyone_out(client, settings):
    """The failure this setting prevents: every visitor counted as the proxy."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    users = UserFactory.create_batch(6)
    for n, user in enumerate(users[:5]):
        _login_via_nginx(client, user.email, "wrong-password", f"198.51.100.{n + 1}")

    response = _login_via_nginx(client, users[5].email, PASSWORD, "198.51.100.6")
    assert response.context["form"].non_field_errors() == [LOCKED]


def test_behind_nginx_failures_from_one_visitor_still_lock_that_visitor(client, behind_nginx):
    users = UserFactory.create_batch(6)
    for user in users[:5]:
        _login_via_nginx(client, user.email, "wrong-password", "198.51.100.66")

    response = _login_via_nginx(client, users[5].email, PASSWORD, "198.51.100.66")
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert "_auth_user_id" not in client.session
    response = _login_via_nginx(client, users[5].email, PASSWORD, "198.51.100.67")
    assert response.status_code == 302


def test_a_forwarded_for_header_sent_by_the_client_does_not_reset_its_count(client, behind_nginx):
    users = UserFactory.create_batch(6)
    for n, user in enumerate(users[:5]):
        forged = f"10.{n}.0.1"  # a new made-up address each time, left of nginx's entry
        _login_via_nginx(client, user.email, "wrong-password", "198.51.100.66", forged)

    response = _login_via_nginx(client, users[5].email, PASSWORD, "198.51.100.66", "10.9.0.1")
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert "_auth_user_id" not in client.session


def test_behind_nginx_password_resets_are_counted_per_visitor(
    client, behind_nginx, django_capture_on_commit_callbacks
):
    users = UserFactory.create_batch(6)
    for n, user in enumerate(users):
        with django_capture_on_commit_callbacks(execute=True):
            response = _reset(client, user.email, ip=NGINX, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        assert response.status_code == 302
    assert len(mail.outbox) == 6

"""Staff open the admin only after a second factor (TOTP or a recovery code) in this session."""

import time

import pytest
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.http import urlencode

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def _staff_mfa_on(_staff_mfa_off, settings):
    settings.STAFF_MFA_REQUIRED = True


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _staff_with_totp():
    staff = UserFactory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return staff, secret


def _login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


def test_the_rule_is_on_outside_the_test_suite():
    assert django_settings.STAFF_MFA_REQUIRED is True
    assert "eventum.admin_security.StaffMfaMiddleware" in django_settings.MIDDLEWARE
    assert django_settings.MFA_SUPPORTED_TYPES == ["totp", "recovery_codes"]
    assert django_settings.MFA_TOTP_ISSUER == "eventum"


def test_staff_without_an_authenticator_is_sent_to_set_up_totp(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(staff.pk)

    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    # Russian by default, from the root catalogue.
    assert any("двухфакторная аутентификация" in text for text in texts), texts
    assert client.get(reverse("admin:events_event_changelist")).status_code == 302


# allauth reports the new authenticator after commit: a real transaction, as in production.
@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_opens_the_admin_in_the_same_session(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    # allauth asks for the password again before an authenticator is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(ADMIN).status_code == 200


def test_staff_who_logged_in_with_the_code_reach_the_admin(client):
    staff, secret = _staff_with_totp()
    response = client.post(
        _login_url(ADMIN), {"login": staff.email, "password": PASSWORD, "next": ADMIN}
    )
    # The password alone does not sign in: allauth asks for the code.
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)

    admin_page = client.get(ADMIN)
    assert admin_page.status_code == 200
    assert admin_page.context["user"] == staff
    assert client.get(reverse("admin:events_event_changelist")).status_code == 200


def test_a_recovery_code_also_counts_as_the_second_factor(client):
    staff, _secret = _staff_with_totp()
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    recovery_code = RecoveryCodes.activate(staff).generate_codes()[0]
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(ADMIN).status_code == 200


def test_staff_with_totp_whose_session_skipped_the_code_are_signed_out(client):
    staff, _secret = _staff_with_totp()
    client.force_login(staff)

    response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 302
    assert response.url == _login_url(reverse("admin:events_event_changelist"))
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302


def test_a_password_only_session_does_not_count(client):
    staff, _secret = _staff_with_totp()
    client.force_login(staff)
    request = client.get(reverse("account_overview")).wsgi_request
    records = get_authentication_records(request, staff)
    assert not any(record["method"] == "mfa" for record in records)
    assert client.get(ADMIN).status_code == 302


def test_non_staff_are_unchanged(client):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:login")).status_code == 403
    # Their own pages and their session are untouched.
    assert client.get(reverse("account_overview")).status_code == 200
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not Authenticator.objects.filter(user=user).exists()


def test_anonymous_visitors_end_up_at_allauths_login(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0] == _login_url(ADMIN)
    assert response.status_code == 200


def test_admin_login_page_redirects_to_allauth_login_with_next(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/events/event/"})
    assert response.status_code == 302
    assert response.url == _login_url("/admin/events/event/")

    assert client.get(reverse("admin:login")).url == _login_url(ADMIN)
    offsite = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert offsite.url == _login_url(ADMIN)


def test_admin_login_form_cannot_be_used_to_bypass_the_second_factor(client):
    staff, _secret = _staff_with_totp()
    response = client.post(
        reverse("admin:login"),
        {"username": staff.username, "password": PASSWORD, "next": ADMIN},
    )
    assert response.status_code == 302
    assert response.url == _login_url(ADMIN)
    assert "_auth_user_id" not in client.session

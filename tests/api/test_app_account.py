"""Buyer sign-in for apps through allauth's headless endpoints: sign-up with the policy recorded
on the API channel, e-mail confirmation, the session token opening the API, password reset,
and a blocked subject's e-mails kept as on the site."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from privacy.models import ConsentRecord
from privacy.services import policy_current
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked

pytestmark = pytest.mark.django_db
APP = "/_allauth/app/v1"
PASSWORD = "a-long-pass-31x"


def _key(message) -> str:
    return re.search(r"/confirm-email/([^/\s]+)/", message.body).group(1)


def test_sign_up_confirm_and_call_the_api_with_the_session_token(
    client, policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{APP}/auth/signup",
            {"email": "app@example.kz", "password": PASSWORD, "marketing_opt_in": True},
            content_type="application/json",
            HTTP_X_APP_NAME="Kassa iOS 2.3",
        )
    assert response.status_code == 401  # signed up; the e-mail must be confirmed first
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"]
    token = response.json()["meta"]["session_token"]
    user = User.objects.get(email="app@example.kz")
    rows = ConsentRecord.objects.filter(user=user)
    assert {r.purpose for r in rows} == {
        ConsentRecord.Purpose.PROCESSING_AND_TRANSFER,
        ConsentRecord.Purpose.MARKETING,
    }
    assert {r.channel for r in rows} == {ConsentRecord.Channel.API}
    assert {r.source for r in rows} == {"signup (app: Kassa iOS 2.3)"}
    assert {r.policy_version for r in rows} == {policy_current()}

    assert client.get("/api/v1/me/orders", HTTP_X_SESSION_TOKEN=token).status_code == 401
    response = client.post(
        f"{APP}/auth/email/verify",
        {"key": _key(mail.outbox[-1])},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 200
    token = response.json()["meta"].get("session_token", token)
    client.cookies.clear()  # apps send no cookies: the token alone signs them in
    orders = client.get("/api/v1/me/orders", HTTP_X_SESSION_TOKEN=token)
    assert orders.status_code == 200
    assert orders.json() == {"items": [], "next_cursor": None}
    state = client.get("/api/v1/me/privacy", HTTP_X_SESSION_TOKEN=token).json()
    assert state == {"marketing": True, "processing": True, "blocked": False}


def test_login_wrong_token_and_password_reset(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="known@example.kz")
    user.set_password(PASSWORD)
    user.save()
    response = client.post(
        f"{APP}/auth/login",
        {"email": "known@example.kz", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    client.cookies.clear()
    assert client.get("/api/v1/me/orders", HTTP_X_SESSION_TOKEN=token).status_code == 200
    wrong = client.get("/api/v1/me/orders", HTTP_X_SESSION_TOKEN="forged")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "not_authenticated"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{APP}/auth/password/request",
            {"email": "known@example.kz"},
            content_type="application/json",
        )
    assert response.status_code == 200
    key = re.search(r"/password/reset/key/(\S+)/", mail.outbox[-1].body).group(1)
    response = client.post(
        f"{APP}/auth/password/reset",
        {"key": key, "password": "another-long-pass-42"},
        content_type="application/json",
    )
    assert response.status_code in (200, 401)  # 401: reset done, signing in is a separate step
    user.refresh_from_db()
    assert user.check_password("another-long-pass-42")


def test_a_blocked_subject_cannot_change_e_mails_through_the_app(client):
    staff = UserFactory(is_staff=True, email="staff@eventum.test")
    user = UserFactory(email="blocked@example.kz")
    user.set_password(PASSWORD)
    user.save()
    token = client.post(
        f"{APP}/auth/login",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    ).json()["meta"]["session_token"]
    make_blocked(staff=staff, user=user, email=user.email)
    client.cookies.clear()
    response = client.post(
        f"{APP}/account/email",
        {"email": "new@example.kz"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 403
    assert not user.emailaddress_set.filter(email="new@example.kz").exists()
    listed = client.get(f"{APP}/account/email", HTTP_X_SESSION_TOKEN=token)
    assert listed.status_code == 200

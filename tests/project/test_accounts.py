"""Sign-up with e-mail verification, login, logout, password reset and the account page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-strong-pass-77"


def _link_in(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_sends_verification_mail_and_confirming_signs_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "aigerim@example.kz", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="aigerim@example.kz")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aigerim@example.kz"]

    confirm_url = _link_in(mail.outbox[0])
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("account_overview")).context["user"] == user


def test_sign_up_with_taken_email_creates_nobody_and_warns_the_owner(
    client, django_capture_on_commit_callbacks
):
    # The page does not reveal that the address is taken (no account enumeration);
    # the owner of the address is told by e-mail instead.
    UserFactory(email="taken@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "taken@example.kz", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="taken@example.kz").count() == 1
    assert [m.to for m in mail.outbox] == [["taken@example.kz"]]


def test_login_and_logout(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_overview")
    page = client.get(reverse("account_overview"))
    assert user.email in page.content.decode()

    client.post(reverse("account_logout"))
    response = client.get(reverse("account_overview"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_wrong_password_is_refused(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_goes_through_celery_and_link_sets_new_password(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    reset_url = _link_in(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_account_emails_are_sent_by_the_celery_task_after_commit(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from eventum import mail as eventum_mail

    sent: list[dict] = []
    monkeypatch.setattr(eventum_mail.send_email_task, "delay", lambda data: sent.append(data))
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert sent == [], "nothing may be sent before the transaction commits"
    for callback in callbacks:
        callback()
    assert len(sent) == 1
    assert sent[0]["to"] == [user.email]
    assert mail.outbox == []


def test_account_page_needs_login(client):
    response = client.get(reverse("account_overview"))
    assert response.status_code == 302

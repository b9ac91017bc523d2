"""Signing up records the accepted policy and the optional marketing opt-in."""

import pytest
from django.urls import reverse

from privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db


def _sign_up(client, **extra):
    return client.post(
        reverse("account_signup"),
        {
            "email": "new@example.kz",
            "password1": "a-long-signup-pass-31",
            "password2": "a-long-signup-pass-31",
            **extra,
        },
        REMOTE_ADDR="203.0.113.77",
    )


def test_sign_up_records_the_policy_accepted_but_no_marketing(client):
    assert _sign_up(client).status_code == 302
    rows = list(ConsentRecord.objects.all())
    assert [(r.purpose, r.action, r.source) for r in rows] == [
        ("processing_and_transfer", "given", "signup")
    ]
    assert rows[0].email == "new@example.kz" and rows[0].user.email == "new@example.kz"
    assert rows[0].policy_version.version == "1.0" and "1.0" in rows[0].wording
    assert rows[0].ip_address == "203.0.113.77"


def test_ticking_the_box_adds_marketing_consent(client):
    _sign_up(client, marketing_opt_in="on")
    assert set(ConsentRecord.objects.values_list("purpose", "action")) == {
        ("processing_and_transfer", "given"),
        ("marketing", "given"),
    }

"""Marketing consent: the sender's guard and the one-click unsubscribe link."""

import pytest

from privacy.models import ConsentRecord
from privacy.services import (
    InvalidUnsubscribeLink,
    consent_record,
    marketing_allowed_emails,
    marketing_email_headers,
    marketing_may_send,
    marketing_unsubscribe,
    marketing_unsubscribe_url,
)
from privacy.services.marketing import marketing_unsubscribe_token
from tests.privacy.conftest import make_blocked

pytestmark = pytest.mark.django_db


def opt_in(email: str) -> ConsentRecord:
    return consent_record(
        purpose="marketing",
        action="given",
        wording="Я согласен получать рекламу",
        channel="site",
        email=email,
        source="order:AB12",
    )


def test_nobody_gets_marketing_without_consent():
    assert not marketing_may_send(email="new@example.kz")
    opt_in("new@example.kz")
    assert marketing_may_send(email="NEW@example.kz")


def test_blocked_subject_gets_no_marketing_even_with_consent(staff_user):
    opt_in("blocked@example.kz")
    make_blocked(staff=staff_user, email="blocked@example.kz")
    assert not marketing_may_send(email="blocked@example.kz")
    assert marketing_allowed_emails(["blocked@example.kz"]) == set()


def test_bulk_guard_keeps_only_live_unblocked_consents(staff_user, django_assert_num_queries):
    for email in ("a@example.kz", "b@example.kz", "c@example.kz"):
        opt_in(email)
    consent_record(
        purpose="marketing",
        action="withdrawn",
        wording="Отписка",
        channel="site",
        email="b@example.kz",
    )
    make_blocked(staff=staff_user, email="c@example.kz")
    with django_assert_num_queries(2):
        allowed = marketing_allowed_emails(
            ["A@example.kz", "b@example.kz", "c@example.kz", "d@x.kz"]
        )
    assert allowed == {"a@example.kz"}


def test_unsubscribe_link_is_absolute_on_the_site_domain_and_signed(settings):
    url = marketing_unsubscribe_url("Reader@Example.kz")
    assert url.startswith(f"http://{settings.SITE_DOMAIN}/privacy/unsubscribe/")
    headers = marketing_email_headers("reader@example.kz")
    assert headers["List-Unsubscribe"] == f"<{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_unsubscribing_withdraws_consent_once():
    opt_in("reader@example.kz")
    token = marketing_unsubscribe_token("reader@example.kz")
    email, record = marketing_unsubscribe(token=token, ip_address="203.0.113.9")
    assert email == "reader@example.kz"
    assert record.action == "withdrawn" and record.channel == "email_link"
    assert not marketing_may_send(email="reader@example.kz")
    assert marketing_unsubscribe(token=token) == ("reader@example.kz", None)
    assert ConsentRecord.objects.filter(action="withdrawn").count() == 1


def test_a_tampered_link_is_refused():
    token = marketing_unsubscribe_token("reader@example.kz")
    with pytest.raises(InvalidUnsubscribeLink):
        marketing_unsubscribe(token=token[:-2] + "xx")

"""The public privacy request forms are limited per client address and per e-mail given:
each request accepted starts a deadline for staff."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from eventum import ratelimit
from eventum.ratelimit import (
    PRIVACY_REQUEST,
    PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR,
    PRIVACY_REQUESTS_PER_EMAIL_PER_DAY,
)
from privacy.models import BlockingRequest, SubjectAccessRequest
from tests.cache_outage import cache_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

REFUSED_RU = "Слишком много обращений за короткое время"


def _blocking(ip: str, email: str, prefix: str = ""):
    with translation.override("ru"):  # the path without a language prefix
        url = reverse("privacy:blocking_request")
    return Client(REMOTE_ADDR=ip).post(
        prefix + url,
        {
            "requester_kind": "subject",
            "requester_name": "Айгерим Садыкова",
            "requester_email": email,
            "subject_email": email,
            "grounds": "unlawful_processing",
        },
    )


def _access(ip: str, email: str):
    return Client(REMOTE_ADDR=ip).post(
        reverse("privacy:access_request"),
        {
            "requester_name": "Айгерим",
            "requester_email": email,
            "subject_email": email,
            "request_text": "Какие данные обо мне хранятся?",
        },
    )


def test_the_limits_are_five_an_hour_per_address_and_three_a_day_per_email():
    assert PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR == PRIVACY_REQUEST.per_ip == 5
    assert PRIVACY_REQUEST.window_seconds == 3600
    assert PRIVACY_REQUESTS_PER_EMAIL_PER_DAY == PRIVACY_REQUEST.per_email == 3
    assert PRIVACY_REQUEST.email_window_seconds == 86400


def test_sixth_blocking_request_from_one_address_gets_429_and_no_row():
    for n in range(PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR):
        assert _blocking("198.51.100.1", f"person{n}@example.kz").status_code == 200
    assert BlockingRequest.objects.count() == 5

    refused = _blocking("198.51.100.1", "someone-else@example.kz")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    page = refused.content.decode()
    assert REFUSED_RU in page
    assert reverse("privacy:policy") in page
    assert "Вернуться к политике конфиденциальности" in page
    assert BlockingRequest.objects.count() == 5


def test_sixth_access_request_from_one_address_gets_429_and_no_row():
    for n in range(PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR):
        assert _access("198.51.100.2", f"person{n}@example.kz").status_code == 200
    refused = _access("198.51.100.2", "someone-else@example.kz")
    assert refused.status_code == 429
    assert REFUSED_RU in refused.content.decode()
    assert SubjectAccessRequest.objects.count() == 5


def test_both_forms_count_against_one_limit():
    for n in range(3):
        assert _blocking("198.51.100.3", f"b{n}@example.kz").status_code == 200
    for n in range(2):
        assert _access("198.51.100.3", f"a{n}@example.kz").status_code == 200
    assert _access("198.51.100.3", "a9@example.kz").status_code == 429
    assert _blocking("198.51.100.3", "b9@example.kz").status_code == 429


def test_other_addresses_still_pass():
    for n in range(PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR + 1):
        _blocking("198.51.100.4", f"person{n}@example.kz")
    assert _blocking("198.51.100.5", "neighbour@example.kz").status_code == 200
    assert BlockingRequest.objects.filter(requester_email="neighbour@example.kz").exists()


def test_one_email_is_limited_across_addresses_whichever_way_it_is_written():
    spellings = ["victim@example.kz", "Victim@Example.KZ", "victim+2@example.kz"]
    for n, email in enumerate(spellings):
        assert _access(f"203.0.113.{n + 1}", email).status_code == 200
    refused = _access("203.0.113.99", " VICTIM+x@example.kz ")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "86400"
    assert SubjectAccessRequest.objects.count() == 3
    assert _access("203.0.113.99", "other@example.kz").status_code == 200


def test_the_email_asked_about_is_counted_not_only_the_one_asking():
    for n in range(PRIVACY_REQUESTS_PER_EMAIL_PER_DAY):
        response = Client(REMOTE_ADDR=f"203.0.114.{n + 1}").post(
            reverse("privacy:blocking_request"),
            {
                "requester_kind": "subject",
                "requester_name": "Кто-то",
                "requester_email": f"asker{n}@example.kz",
                "subject_email": "target@example.kz",
                "grounds": "unlawful_processing",
            },
        )
        assert response.status_code == 200
    assert _blocking("203.0.114.50", "target@example.kz").status_code == 429


@pytest.mark.parametrize(
    ("prefix", "text"),
    [
        ("/kk", "Қысқа уақытта сіздің мекенжайыңыздан"),
        ("/en", "Too many requests have been sent in a short time"),
    ],
)
def test_the_refusal_is_translated(prefix, text):
    for n in range(PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR):
        _blocking("198.51.100.6", f"person{n}@example.kz", prefix=prefix)
    refused = _blocking("198.51.100.6", "late@example.kz", prefix=prefix)
    assert refused.status_code == 429
    assert text in refused.content.decode()


def test_opening_the_form_is_not_counted():
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _n in range(10):
        assert client.get(reverse("privacy:blocking_request")).status_code == 200
    assert _blocking("198.51.100.7", "first@example.kz").status_code == 200


def test_the_address_limit_lifts_after_the_hour(monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 3600.0 * 1000)
    for n in range(PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR):
        _blocking("198.51.100.8", f"person{n}@example.kz")
    assert _blocking("198.51.100.8", "next@example.kz").status_code == 429
    monkeypatch.setattr(ratelimit, "_now", lambda: 3600.0 * 1001)
    assert _blocking("198.51.100.8", "next@example.kz").status_code == 200


@pytest.mark.usefixtures("cache_down")
def test_without_the_cache_the_forms_answer_503_and_register_nothing(caplog):
    refused = _blocking("198.51.100.9", "outage@example.kz")
    assert refused.status_code == 503
    assert refused["Retry-After"] == "30"
    assert "Это действие ненадолго недоступно" in refused.content.decode()
    assert not BlockingRequest.objects.exists()
    assert "Rate limit privacy-request: cache unavailable, attempt refused" in caplog.text
    assert Client().get(reverse("privacy:access_request")).status_code == 200

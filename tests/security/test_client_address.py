"""Behind the shipped nginx (TRUSTED_PROXY_COUNT=1) every limit counts the visitor's address.

nginx appends the address it saw to whatever X-Forwarded-For the client sent; Django takes the
right-most entry, so a client cannot pick the address its attempts are counted under, and the
proxy's own address (REMOTE_ADDR of every request) is never what is counted.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client, RequestFactory

from eventum.ratelimit import PROMO_CODE
from privacy.identity import request_client_ip

pytestmark = pytest.mark.django_db

NGINX = "172.18.0.7"
PROMO_URL = "/orders/cart/promo/"


@pytest.fixture
def behind_nginx(settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _via_nginx(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.mark.parametrize(
    ("forwarded_for", "visitor"),
    [
        ("198.51.100.4", "198.51.100.4"),  # nginx's entry alone: the client sent none
        ("10.0.0.1, 198.51.100.4", "198.51.100.4"),  # a forged entry stays to the left
        ("1.1.1.1, 2.2.2.2, 198.51.100.4", "198.51.100.4"),
        ("2001:db8::1", "2001:db8::1"),
        ("", NGINX),  # not through nginx (a health check inside the network)
    ],
)
def test_the_portal_and_allauth_count_the_entry_nginx_appended(
    behind_nginx, forwarded_for, visitor
):
    request = RequestFactory().get("/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert request_client_ip(request) == visitor
    assert get_adapter(request).get_client_ip(request) == visitor


def test_without_a_proxy_count_the_header_is_ignored_by_both(settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert request_client_ip(request) == "203.0.113.5"
    assert get_adapter(request).get_client_ip(request) == "203.0.113.5"


def test_a_forged_forwarded_for_does_not_reset_the_promo_limit(behind_nginx):
    for n in range(PROMO_CODE.per_ip):
        forged = f"10.0.{n}.1, 198.51.100.20"
        assert _via_nginx(forged).post(PROMO_URL, {"code": "GUESS"}).status_code == 302

    refused = _via_nginx("10.9.9.9, 198.51.100.20").post(PROMO_URL, {"code": "GUESS"})
    assert refused.status_code == 429


def test_visitors_behind_nginx_are_limited_each_on_their_own(behind_nginx):
    for _ in range(PROMO_CODE.per_ip):
        _via_nginx("198.51.100.20").post(PROMO_URL, {"code": "GUESS"})
    assert _via_nginx("198.51.100.20").post(PROMO_URL, {"code": "GUESS"}).status_code == 429

    other = _via_nginx("198.51.100.21").post(PROMO_URL, {"code": "GUESS"})
    assert other.status_code == 302

"""Checkout submissions and promo codes are limited per client IP and per cart (429 past it)."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from eventum import ratelimit
from eventum.ratelimit import CHECKOUT, PROMO_CODE
from tests.factories import TicketTypeFactory
from tests.tickets.factories import PromoCodeFactory
from tests.tickets.helpers import buyer_data, choose, idempotency_key
from tickets.models import Cart, Order

pytestmark = pytest.mark.django_db

PROMO_URL = "/orders/cart/promo/"


@pytest.fixture
def stalls():
    return TicketTypeFactory(price=Decimal("10000"), quantity=50)


@pytest.fixture
def real_code(stalls):
    return PromoCodeFactory(
        organizer=stalls.session.event.organizer, event=stalls.session.event, code="REAL10"
    )


def _client_with_cart(stalls, ip="10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=ip)
    assert choose(client, stalls.session, {stalls: 1}).status_code == 302
    return client


def _guess(client: Client, code: str, prefix: str = ""):
    return client.post(prefix + PROMO_URL, {"code": code})


def test_promo_guessing_on_one_cart_is_refused_with_a_429_page(stalls, real_code):
    client = _client_with_cart(stalls)
    for n in range(PROMO_CODE.per_cart):
        assert _guess(client, f"GUESS{n}").status_code == 302
    refused = _guess(client, "REAL10")  # even the right code: the limit is on attempts
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(PROMO_CODE.window_seconds)
    page = refused.content.decode()
    assert "Слишком много промокодов" in page
    assert reverse("tickets:checkout") in page
    assert Cart.objects.get().promo_code is None


def test_the_promo_page_says_why_in_kazakh_and_english(stalls):
    client = _client_with_cart(stalls)
    for n in range(PROMO_CODE.per_cart):
        _guess(client, f"GUESS{n}")
    kazakh = _guess(client, "X", prefix="/kk")
    assert kazakh.status_code == 429
    assert "Қысқа уақытта тым көп промокод" in kazakh.content.decode()
    english = _guess(client, "X", prefix="/en")
    assert english.status_code == 429
    assert "Too many promo codes tried" in english.content.decode()


def test_new_carts_from_one_address_share_its_limit(stalls):
    for _ in range(PROMO_CODE.per_ip):
        assert _guess(Client(REMOTE_ADDR="10.0.0.7"), "GUESS").status_code == 302
    assert _guess(Client(REMOTE_ADDR="10.0.0.7"), "GUESS").status_code == 429
    assert _guess(Client(REMOTE_ADDR="10.0.0.8"), "GUESS").status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count(stalls, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(PROMO_CODE.per_ip):
        client = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        _guess(client, "GUESS")
    client = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert _guess(client, "GUESS").status_code == 429


def test_the_limit_lifts_when_the_window_ends(stalls, real_code, monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_000_000.0)
    client = _client_with_cart(stalls)
    for n in range(PROMO_CODE.per_cart):
        _guess(client, f"GUESS{n}")
    assert _guess(client, "REAL10").status_code == 429
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_000_000.0 + PROMO_CODE.window_seconds)
    assert _guess(client, "REAL10").status_code == 302
    assert Cart.objects.get().promo_code == real_code


def test_repeated_checkout_posts_on_one_cart_are_refused_and_write_nothing(stalls, policy):
    client = _client_with_cart(stalls)
    key = idempotency_key(client)
    for _ in range(CHECKOUT.per_cart):
        rejected = client.post(reverse("tickets:checkout"), buyer_data(key, phone="12"))
        assert rejected.status_code == 400
    refused = client.post(reverse("tickets:checkout"), buyer_data(key))
    assert refused.status_code == 429
    assert "Слишком много попыток оформить заказ" in refused.content.decode()
    assert not Order.objects.exists()
    assert client.get(reverse("tickets:checkout")).status_code == 200  # looking is not limited


def test_a_checkout_within_the_limit_places_the_order(stalls, policy):
    client = _client_with_cart(stalls)
    key = idempotency_key(client)
    for _ in range(CHECKOUT.per_cart - 1):
        client.post(reverse("tickets:checkout"), buyer_data(key, phone="12"))
    placed = client.post(reverse("tickets:checkout"), buyer_data(key))
    assert placed.status_code == 302
    assert Order.objects.count() == 1


def _widget_checkout(stalls, host="https://tickets.partner.kz"):
    organizer = stalls.session.event.organizer
    organizer.widget_origins = host
    organizer.save()
    start = Client().get(
        reverse("widget:start"),
        {"event": stalls.session.event.slug, "origin": host, "lang": "ru"},
    )
    event_url = start["Location"]
    chosen = Client().post(
        event_url, {"w": _w(event_url), "session": stalls.session_id, f"qty_{stalls.pk}": 1}
    )
    assert chosen.status_code == 302
    return _w(chosen["Location"])


def _w(url: str) -> str:
    return parse_qs(urlsplit(url).query)["w"][0]


def test_widget_promo_guessing_gets_a_429_inside_the_frame(stalls):
    token = _widget_checkout(stalls)
    url = reverse("widget:cart_action")
    for n in range(PROMO_CODE.per_cart):
        assert Client().post(url, {"w": token, "code": f"GUESS{n}"}).status_code == 302
    refused = Client().post(url, {"w": token, "code": "GUESS"})
    assert refused.status_code == 429
    assert "Слишком много промокодов" in refused.content.decode()
    assert "https://tickets.partner.kz" in refused["Content-Security-Policy"]


def test_widget_checkout_posts_are_limited_per_cart(stalls, policy):
    token = _widget_checkout(stalls)
    url = reverse("widget:checkout")
    for _ in range(CHECKOUT.per_cart):
        assert Client().post(url, {"w": token, "surname": ""}).status_code == 400
    refused = Client().post(url, {"w": token, "surname": ""})
    assert refused.status_code == 429
    assert "Слишком много попыток оформить заказ" in refused.content.decode()
    assert not Order.objects.exists()


def test_each_attempt_counts_once_and_a_new_window_starts_again(monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 2_000_000.0)
    counts = [ratelimit.window_count("test", "ip", "10.9.9.9", 60) for _n in range(3)]
    assert counts == [1, 2, 3]
    assert ratelimit.window_count("test", "ip", "10.9.9.8", 60) == 1  # another address
    monkeypatch.setattr(ratelimit, "_now", lambda: 2_000_000.0 + 60)
    assert ratelimit.window_count("test", "ip", "10.9.9.9", 60) == 1


def test_an_attempt_made_while_another_made_the_key_counts_after_it(monkeypatch):
    from django.core.cache import cache

    real_add = cache.add

    def raced_add(key, value, timeout=None):  # another worker's first attempt got there first
        real_add(key, 1, timeout=timeout)
        return False

    monkeypatch.setattr(cache, "add", raced_add)
    # the counter of a cache without Redis's pipeline (the embedded default's)
    assert ratelimit._count("ratelimit:test:cart:raced", timeout=61) == 2

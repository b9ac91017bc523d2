"""Redis (the cache) down: pages are rendered uncached, sales go on, each rate limit does what
it says without the cache (fails open with a warning, or answers 503 with Retry-After).

Embedded: the cache is the real Redis backend pointed at a port where nothing listens
(``tests/cache_outage.py``). ``tests/services/test_faults_cache.py`` kills a real Redis.
"""

import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from eventum import cache as cache_backend
from eventum.kept_markup import CSRF_STAND_IN
from eventum.ratelimit import CHECKOUT, PRIVACY_REQUEST, PROMO_CODE, attempt_allowed
from privacy.models import IpLogEntry
from tests.cache_outage import DEAD_REDIS_URL, cache_down  # noqa: F401 (fixture)
from tests.factories import TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order, staff_of
from tests.tickets.factories import PromoCodeFactory
from tests.tickets.helpers import buyer_data, choose, idempotency_key
from tickets.models import Cart, CheckIn, Order
from tickets.qr import qr_payload
from tickets.seating.views import SEAT_HOLDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_down")]


@pytest.fixture
def stalls():
    return TicketTypeFactory(name_ru="Партер", price=Decimal("10000"), quantity=50)


def _event_url(ticket_type) -> str:
    return reverse("events:event_detail", args=[ticket_type.session.event.slug])


def test_the_cache_really_is_down():
    with pytest.raises(cache_backend.CACHE_ERRORS):
        cache.get("anything")


def test_event_page_is_rendered_for_every_visitor_without_the_cache(stalls, settings, caplog):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 5
    for _visitor in range(2):
        response = Client().get(_event_url(stalls))
        assert response.status_code == 200
        assert "Партер" in response.content.decode()
        assert CSRF_STAND_IN not in response.content.decode()
    assert "Page cache unavailable" in caplog.text


def test_a_missing_event_is_still_a_404_without_the_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 5
    assert Client().get(reverse("events:event_detail", args=["no-such-event"])).status_code == 404


def test_checkout_places_the_order_without_the_cache_and_logs_the_uncounted_limit(stalls, caplog):
    client = Client(REMOTE_ADDR="10.9.0.1")
    assert choose(client, stalls.session, {stalls: 2}).status_code == 302
    with caplog.at_level(logging.WARNING, logger="eventum.ratelimit"):
        placed = client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))
    assert placed.status_code == 302, placed.content.decode()[:1000]
    order = Order.objects.get()
    assert placed["Location"] == order.get_absolute_url()
    assert order.items.count() == 2
    assert "Rate limit checkout: cache unavailable, attempt allowed uncounted" in caplog.text


@pytest.mark.parametrize(
    ("prefix", "text"),
    [
        ("", "Это действие ненадолго недоступно"),
        ("/kk", "Бұл әрекет біраз уақытқа қолжетімсіз"),
        ("/en", "This action is briefly unavailable"),
    ],
)
def test_a_promo_code_is_answered_503_with_retry_after_and_not_applied(
    stalls, caplog, prefix, text
):
    PromoCodeFactory(
        organizer=stalls.session.event.organizer, event=stalls.session.event, code="REAL10"
    )
    client = Client(REMOTE_ADDR="10.9.0.2")
    choose(client, stalls.session, {stalls: 1})
    refused = client.post(prefix + "/orders/cart/promo/", {"code": "REAL10"})
    assert refused.status_code == 503
    assert refused["Retry-After"] == "30"
    page = refused.content.decode()
    assert text in page
    assert reverse("tickets:checkout") in page
    assert Cart.objects.get().promo_code is None
    assert "Rate limit promo: cache unavailable, attempt refused" in caplog.text


def test_each_limit_says_what_it_does_without_the_cache():
    decided = {
        limit.scope: attempt_allowed(limit, client_ip="10.9.0.3", cart_token="cart")
        for limit in (CHECKOUT, SEAT_HOLDS, PROMO_CODE, PRIVACY_REQUEST)
    }
    assert {scope: bool(verdict) for scope, verdict in decided.items()} == {
        "checkout": True,
        "seats": True,
        "promo": False,
        "privacy-request": False,
    }
    assert not any(verdict.counted for verdict in decided.values())


def test_the_door_keeps_scanning_without_the_cache(caplog):
    order = paid_order(quantity=1)
    client = Client()
    client.force_login(staff_of(order.event.organizer))
    url = reverse("tickets:checkin_scan", args=[order.event.organizer.slug, order.event.slug])
    response = client.post(url, {"code": qr_payload(order.items.get())})
    assert response.status_code == 200
    assert response.json()["result"] == "valid"
    assert CheckIn.objects.filter(item__order=order).count() == 1
    assert "Rate limit checkin-scan: cache unavailable" in caplog.text


def test_requests_are_served_while_the_ip_log_buffer_is_down(stalls, caplog):
    assert Client().get(_event_url(stalls)).status_code == 200
    # The first caller to meet the dead Redis logs it (the footer's cached operator, read before
    # the IP log); the IP log then drops its row at once instead of waiting for a timeout.
    assert "unreachable" in caplog.text
    assert cache_backend.breaker.paused(DEAD_REDIS_URL)
    assert not IpLogEntry.objects.exists()


def test_after_one_failure_the_cache_is_not_asked_again_for_a_few_seconds(caplog):
    with pytest.raises(cache_backend.CACHE_ERRORS) as first:
        cache.get("page")
    assert not isinstance(first.value, cache_backend.CacheUnavailable)  # a real round trip
    with pytest.raises(cache_backend.CacheUnavailable):
        cache.get("page")
    assert caplog.text.count("unreachable") == 1  # logged once an outage, not once a call


def test_the_cache_is_tried_again_once_the_pause_is_over(monkeypatch):
    with pytest.raises(cache_backend.CACHE_ERRORS):
        cache.add("lock", 1)
    monkeypatch.setattr(cache_backend.breaker, "pause_seconds", 0.0)
    monkeypatch.setattr(cache_backend.breaker, "_down_until", {})
    with pytest.raises(cache_backend.CACHE_ERRORS) as again:
        cache.add("lock", 1)
    assert not isinstance(again.value, cache_backend.CacheUnavailable)


def test_sign_in_is_refused_with_503_while_its_limit_cannot_count(caplog):
    with translation.override("ru"):
        login_url = reverse("account_login")
    client = Client(raise_request_exception=False)
    assert client.get(login_url).status_code == 200
    refused = client.post(login_url, {"login": "a@example.kz", "password": "wrong"})
    assert refused.status_code == 503
    assert refused["Retry-After"] == "30"
    assert "Это действие ненадолго недоступно" in refused.content.decode()
    assert f'href="{login_url}"' in refused.content.decode()
    assert "Cache unavailable (/accounts/login/): answered 503" in caplog.text


def test_a_password_reset_is_refused_with_503_while_its_limit_cannot_count():
    with translation.override("ru"):
        reset_url = reverse("account_reset_password")
    refused = Client(raise_request_exception=False).post(reset_url, {"email": "a@example.kz"})
    assert refused.status_code == 503
    assert not mail.outbox

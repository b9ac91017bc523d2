"""Redis, the cache, dies under a running portal: pages and sales go on without it.

Real processes: a Redis of the test's own (the shared one is never touched) serving as the
cache, the IP log buffer and the broker, as in production, and gunicorn serving the portal with
the 5-second event-page cache on. Redis is killed; a visitor still gets the event page, a buyer
still places an order, a promo code gets a clear 503 with ``Retry-After`` (that limit refuses
what it cannot count), ``/healthz`` names the cache as down; once Redis is back, it is ok again.
"""

import uuid
from decimal import Decimal

import httpx
import pytest
from django.utils import timezone

from privacy.models import PolicyVersion
from tests.factories import SessionFactory, TicketTypeFactory
from tests.fixtures_services import _database_url_for_test_db, wait_for
from tests.services.faults_processes import RedisServer, WebServer, app_env
from tests.tickets.factories import PromoCodeFactory
from tickets.models import Cart, Order

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis():
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def portal(transactional_db, redis, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = app_env(
        database_url=_database_url_for_test_db(),
        broker_url=redis.url,
        mail_dir=mail_dir,
        REDIS_URL=redis.url,
        PUBLIC_PAGE_CACHE_SECONDS="5",
    )
    web = WebServer(env)
    try:
        web.start()
        yield web
    finally:
        web.stop()


@pytest.fixture
def stalls(transactional_db):
    if not PolicyVersion.objects.filter(published_at__isnull=False).exists():
        PolicyVersion.objects.create(
            version="faults-1", text="Политика", published_at=timezone.now()
        )
    ticket_type = TicketTypeFactory(
        session=SessionFactory(), name_ru="Партер", price=Decimal("8000"), quantity=20
    )
    PromoCodeFactory(
        organizer=ticket_type.session.event.organizer,
        event=ticket_type.session.event,
        code="OUTAGE10",
    )
    return ticket_type


def _event_path(ticket_type) -> str:
    return f"/events/{ticket_type.session.event.slug}/"


def test_pages_and_checkout_work_while_the_cache_is_down(portal, redis, stalls):
    event_path = _event_path(stalls)
    with httpx.Client(base_url=portal.base_url, timeout=30) as visitor:
        assert visitor.get(event_path).status_code == 200  # the page is now in the cache
    healthy = httpx.get(portal.base_url + "/healthz", timeout=10)
    assert healthy.status_code == 200
    assert healthy.json()["checks"]["cache"] == "ok"

    redis.stop()

    with httpx.Client(base_url=portal.base_url, timeout=30) as visitor:
        page = visitor.get(event_path)
        assert page.status_code == 200, page.text[:500]
        assert "Партер" in page.text

    with httpx.Client(base_url=portal.base_url, timeout=30) as buyer:
        assert buyer.get(event_path).status_code == 200
        csrf = buyer.cookies["csrftoken"]
        cart = buyer.post(
            "/orders/cart/",
            data={
                "csrfmiddlewaretoken": csrf,
                "session": stalls.session.pk,
                f"qty_{stalls.pk}": "2",
            },
        )
        assert cart.status_code == 302, cart.text[:500]

        promo = buyer.post(
            "/orders/cart/promo/", data={"csrfmiddlewaretoken": csrf, "code": "OUTAGE10"}
        )
        assert promo.status_code == 503, promo.text[:500]
        assert promo.headers["retry-after"] == "30"
        assert "Это действие ненадолго недоступно" in promo.text

        address = f"cache-outage-{uuid.uuid4().hex[:8]}@example.kz"
        checkout = buyer.post(
            "/orders/checkout/",
            data={
                "csrfmiddlewaretoken": csrf,
                "surname": "Сериков",
                "name": "Арман",
                "phone": "+77011234567",
                "email": address,
                "consent_processing": "on",
                "idempotency_key": uuid.uuid4().hex,
            },
        )
        assert checkout.status_code == 302, checkout.text[:500]
    order = Order.objects.get(email=address)
    assert checkout.headers["location"].startswith(f"/orders/{order.code}/")
    assert order.items.count() == 2
    assert Cart.objects.filter(promo_code__isnull=False).count() == 0

    down = httpx.get(portal.base_url + "/healthz", timeout=10)
    assert down.status_code == 503
    assert down.json()["status"] == "unavailable"
    assert down.json()["checks"]["cache"] == "down"
    assert down.json()["checks"]["database"] == "ok"

    redis.start()
    # The portal pauses a server it found down for a few seconds, then asks it again.
    back = wait_for(
        lambda: (r := httpx.get(portal.base_url + "/healthz", timeout=10)).status_code == 200 and r,
        timeout=30,
    )
    assert back.json()["checks"]["cache"] == "ok"

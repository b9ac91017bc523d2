"""The broker goes down while a buyer pays: nothing is lost.

Real processes: a Redis of the test's own (the shared one is never touched), gunicorn serving
the portal and a Celery worker on that Redis. Redis is stopped, the buyer pays, Redis is
started again, the outbox relay runs, and the PDF and the e-mail with it arrive.
"""

import uuid

import pytest

from eventum.models import OutboxMessage
from tests.fixtures_services import _database_url_for_test_db, wait_for
from tests.services.faults_processes import (
    Buyer,
    RedisServer,
    WebServer,
    Worker,
    app_env,
    manage,
)
from tests.tickets.flows import place_order
from tickets.models import EmailDelivery, Order, TicketPdf
from tickets.payments.services import payment_start

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker():
    redis = RedisServer()
    redis.start()
    yield redis
    redis.close()


@pytest.fixture
def portal(transactional_db, broker, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = app_env(
        database_url=_database_url_for_test_db(), broker_url=broker.url, mail_dir=mail_dir
    )
    web, worker = WebServer(env), Worker(env)
    try:
        web.start()
        worker.start()
        yield {"env": env, "web": web, "mail_dir": mail_dir}
    finally:
        worker.stop()
        web.stop()


def _letters_to(mail_dir, address: str) -> list[str]:
    texts = [path.read_text() for path in mail_dir.glob("*.log")]
    return [text for text in texts if f"To: {address}" in text]


def test_paying_while_the_broker_is_down_still_delivers_the_pdf_and_the_email(portal, broker):
    address = f"outage-{uuid.uuid4().hex[:8]}@example.kz"
    order = place_order(email=address)
    payment = payment_start(order_id=order.pk, provider_name="test")
    buyer = Buyer(portal["web"].base_url)

    broker.stop()
    response = buyer.approve_test_payment(str(payment.public_id))
    assert response.status_code == 302, response.text[:500]
    assert response.headers["location"].startswith(f"/orders/{order.code}/")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    waiting = OutboxMessage.objects.filter(dispatched_at__isnull=True)
    assert {m.task_name for m in waiting} == {
        "tickets.tasks.order_pdf_task",
        "tickets.tasks.tickets_email_task",
    }
    assert all("Connection refused" in m.last_error for m in waiting)
    assert not TicketPdf.objects.filter(order=order).exists()

    broker.start()
    relay = manage("outbox_relay", env=portal["env"])
    assert relay.returncode == 0, relay.stderr
    assert "2 sent, 0 waiting" in relay.stdout

    wait_for(
        lambda: EmailDelivery.objects.filter(order=order, status=EmailDelivery.Status.SENT),
        timeout=90,
    )
    assert TicketPdf.objects.filter(order=order).count() == 1
    letters = _letters_to(portal["mail_dir"], address)
    assert len(letters) == 1
    assert f'filename="tickets-{order.code}.pdf"' in letters[0]
    assert EmailDelivery.objects.filter(order=order).count() == 1
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
    buyer.close()

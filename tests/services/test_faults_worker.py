"""A Celery worker dies in the middle of making an order's PDF: the order still ends with
exactly one PDF and one e-mail.

Tasks are acknowledged late, so the dead worker's tasks go back to the broker and another
worker runs them; the tasks are idempotent, so running them again does no harm.
"""

import uuid

import pytest

from tests.fixtures_services import _database_url_for_test_db, wait_for
from tests.services.faults_processes import Buyer, RedisServer, WebServer, Worker, app_env
from tests.tickets.flows import place_order
from tickets.models import EmailDelivery, Order, TicketPdf
from tickets.payments.services import payment_start

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stack(transactional_db, tmp_path):
    redis = RedisServer()
    redis.start()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = app_env(database_url=_database_url_for_test_db(), broker_url=redis.url, mail_dir=mail_dir)
    processes: list = []
    try:
        yield {"env": env, "mail_dir": mail_dir, "processes": processes}
    finally:
        for process in reversed(processes):
            process.stop()
        redis.close()


def _started(stack, process):
    stack["processes"].append(process)
    process.start()
    return process


def test_a_worker_killed_mid_pdf_leaves_exactly_one_pdf_and_one_email(stack, tmp_path):
    gate = tmp_path / "inside-pdf-task"
    doomed = _started(stack, Worker(stack["env"], gate=gate))
    web = _started(stack, WebServer(stack["env"]))
    address = f"crash-{uuid.uuid4().hex[:8]}@example.kz"
    order = place_order(email=address)
    payment = payment_start(order_id=order.pk, provider_name="test")
    buyer = Buyer(web.base_url)
    assert buyer.approve_test_payment(str(payment.public_id)).status_code == 302
    buyer.close()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID

    wait_for(gate.exists, timeout=60)  # the worker is inside the PDF task, order row locked
    doomed.kill()
    assert not TicketPdf.objects.filter(order=order).exists()
    assert EmailDelivery.objects.get(order=order).status == EmailDelivery.Status.QUEUED

    _started(stack, Worker(stack["env"], restore_after=2))
    wait_for(
        lambda: EmailDelivery.objects.filter(order=order, status=EmailDelivery.Status.SENT),
        timeout=120,
    )
    assert TicketPdf.objects.filter(order=order).count() == 1
    assert EmailDelivery.objects.filter(order=order).count() == 1
    letters = [
        path.read_text()
        for path in stack["mail_dir"].glob("*.log")
        if f"To: {address}" in path.read_text()
    ]
    assert len(letters) == 1
    assert f'filename="tickets-{order.code}.pdf"' in letters[0]

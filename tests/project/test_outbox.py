"""The transactional outbox: a task is recorded with the data it works on, sent after commit,
and kept for the relay while the broker cannot take it."""

from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from eventum import outbox
from eventum.celery import app as celery_app
from eventum.mail import email_enqueue, send_email_task
from eventum.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


class BrokerDown(Exception):
    pass


@pytest.fixture
def broker(monkeypatch):
    """Tasks go to a fake broker (a list) that can be switched off."""

    class FakeBroker:
        up = True
        sent: list[tuple[str, list, dict]] = []

    fake = FakeBroker()
    fake.sent = []

    def send_task(name, args=None, kwargs=None, retry=True):
        assert retry is False, "publishing must not retry: the outbox keeps the task"
        if not fake.up:
            raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        fake.sent.append((name, list(args or []), dict(kwargs or {})))

    monkeypatch.setattr(celery_app, "send_task", send_task)
    celery_app.conf.task_always_eager = False  # conftest's _celery_mode puts it back
    return fake


def _letter(to: str = "buyer@example.kz") -> EmailMultiAlternatives:
    return EmailMultiAlternatives(subject="Билеты", body="Ваш заказ оплачен", to=[to])


def test_the_task_is_recorded_in_the_transaction_and_published_after_commit(broker):
    with transaction.atomic():
        email_enqueue(_letter())
        row = OutboxMessage.objects.get()
        assert row.task_name == send_email_task.name
        assert broker.sent == [], "nothing may reach the broker before the commit"
    assert [name for name, _args, _kwargs in broker.sent] == [send_email_task.name]
    assert broker.sent[0][1][0]["to"] == ["buyer@example.kz"]
    row.refresh_from_db()
    assert row.dispatched_at is not None


def test_a_rolled_back_transaction_leaves_no_task(broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(_letter())
        raise RuntimeError("checkout failed")
    assert not OutboxMessage.objects.exists()
    assert broker.sent == []


def test_with_the_broker_down_the_task_waits_and_the_relay_sends_it_once(broker):
    broker.up = False
    with transaction.atomic():  # the caller (a paying request) does not see the failure
        email_enqueue(_letter("first@example.kz"))
        email_enqueue(_letter("second@example.kz"))
    waiting = list(OutboxMessage.objects.order_by("id"))
    assert [row.dispatched_at for row in waiting] == [None, None]
    assert waiting[0].attempts == 1
    assert "Connection refused" in waiting[0].last_error
    assert outbox.outbox_relay() == 0  # still down: nothing sent, nothing lost
    assert OutboxMessage.objects.filter(dispatched_at__isnull=True).count() == 2

    broker.up = True
    assert outbox.outbox_relay() == 2
    assert [args[0]["to"] for _name, args, _kwargs in broker.sent] == [
        ["first@example.kz"],
        ["second@example.kz"],
    ]
    assert outbox.outbox_relay() == 0  # a second relay finds nothing to send again
    assert len(broker.sent) == 2


def test_the_management_command_relays_and_says_what_is_left(broker):
    broker.up = False
    with transaction.atomic():
        email_enqueue(_letter())
    with pytest.raises(CommandError, match="1 message"):
        call_command("outbox_relay", stdout=StringIO())
    broker.up = True
    out = StringIO()
    call_command("outbox_relay", stdout=out)
    assert "1 sent, 0 waiting" in out.getvalue()
    assert len(broker.sent) == 1


def test_the_beat_task_relays_and_prunes_old_dispatched_rows(broker):
    from datetime import timedelta

    from django.utils import timezone

    old = OutboxMessage.objects.create(task_name="x", dispatched_at=timezone.now())
    OutboxMessage.objects.filter(pk=old.pk).update(
        dispatched_at=timezone.now() - timedelta(days=30)
    )
    broker.up = False
    with transaction.atomic():
        email_enqueue(_letter())
    broker.up = True
    assert outbox.outbox_relay_task() == 1
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.get().dispatched_at is not None


def test_without_a_broker_the_task_runs_in_process_after_commit(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert celery_app.conf.task_always_eager
    with transaction.atomic():
        email_enqueue(_letter())
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["buyer@example.kz"]]
    assert OutboxMessage.objects.get().dispatched_at is not None


def test_paying_an_order_records_its_pdf_and_email_in_the_outbox(broker):
    from tests.tickets.flows import place_order
    from tickets.models import Payment
    from tickets.payments.services import payment_complete
    from tickets.services.order_states import Actor

    broker.up = False
    order = place_order()
    payment = Payment.objects.create(order=order, provider="test", amount=order.total)
    payment_complete(payment_id=payment.pk, succeeded=True, actor=Actor(label="test"))
    waiting = OutboxMessage.objects.filter(dispatched_at__isnull=True)
    names = set(waiting.values_list("task_name", flat=True))
    assert {"tickets.tasks.order_pdf_task", "tickets.tasks.tickets_email_task"} <= names
    assert all("Connection refused" in m.last_error for m in waiting), "each says why it waits"


@pytest.mark.services
def test_relays_running_at_once_send_each_message_exactly_once(broker):
    """On PostgreSQL the relays lock what they send (SKIP LOCKED): no message goes twice."""
    import threading
    import time

    from django.db import connection

    assert connection.vendor == "postgresql"
    broker.up = False
    with transaction.atomic():
        for n in range(30):
            email_enqueue(_letter(f"buyer{n}@example.kz"))
    broker.up = True
    slow_send = celery_app.send_task

    def send_slowly(*args, **kwargs):
        time.sleep(0.01)  # widen the window in which the relays overlap
        return slow_send(*args, **kwargs)

    celery_app.send_task = send_slowly
    counts: list[int] = []

    def relay() -> None:
        try:
            counts.append(outbox.outbox_relay(batch_size=5))
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    recipients = [args[0]["to"][0] for _name, args, _kwargs in broker.sent]
    assert sorted(recipients) == sorted(f"buyer{n}@example.kz" for n in range(30))
    assert sum(counts) == 30
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()


def test_the_tasks_of_a_paid_order_are_published_together(broker):
    """Every paid order of an on-sale rush records its PDF and its e-mail: one transaction
    after the commit publishes both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.tickets.flows import place_order
    from tickets.services.order_lifecycle import order_mark_paid
    from tickets.services.order_states import Actor

    order = place_order()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        order_mark_paid(order_id=order.pk, actor=Actor(label="test"))

    assert [name for name, _args, _kwargs in broker.sent] == [
        "tickets.tasks.order_pdf_task",
        "tickets.tasks.tickets_email_task",
    ]
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "outbox" in q["sql"]]
    assert len(reads) == 1, "both messages are locked and sent in one transaction"

"""The Redis buffer of the IP log, against a real Redis (``services`` run)."""

import pytest
from django.urls import reverse

from privacy.models import IpLogEntry
from privacy.services import iplog
from tests.fixtures_services import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_buffer(settings):
    assert settings.REDIS_URL, "services tests need REDIS_URL"
    client = iplog._redis_client(settings.REDIS_URL)
    client.delete(iplog.REDIS_KEY)
    yield client
    client.delete(iplog.REDIS_KEY)


def test_requests_go_to_the_redis_list_and_the_flush_moves_them_in_batches(client, redis_buffer):
    for _ in range(3):
        client.get(reverse("privacy:cookie_settings"), REMOTE_ADDR="203.0.113.20")
    assert redis_buffer.llen(iplog.REDIS_KEY) == 3
    assert not IpLogEntry.objects.exists()
    assert iplog.iplog_flush() == 3
    assert redis_buffer.llen(iplog.REDIS_KEY) == 0
    assert IpLogEntry.objects.filter(ip="203.0.113.20", status=200).count() == 3


def test_rows_stay_in_redis_when_the_write_fails(redis_buffer, monkeypatch):
    iplog.iplog_buffer_push(iplog.iplog_row(ip="203.0.113.21", method="GET", path="/", status=200))

    def broken(rows):
        raise RuntimeError("database down")

    monkeypatch.setattr(iplog, "iplog_write", broken)
    with pytest.raises(RuntimeError):
        iplog.iplog_flush()
    assert redis_buffer.llen(iplog.REDIS_KEY) == 1
    monkeypatch.undo()
    assert iplog.iplog_flush() == 1


def test_flush_task_runs_on_the_worker(celery_worker_process, redis_buffer):
    from privacy.tasks import iplog_flush_task

    iplog.iplog_buffer_push(
        iplog.iplog_row(ip="203.0.113.22", method="POST", path="/x", status=302)
    )
    iplog_flush_task.delay()
    entry = wait_for(lambda: IpLogEntry.objects.filter(ip="203.0.113.22").first())
    assert entry.method == "POST" and entry.status == 302
    assert redis_buffer.llen(iplog.REDIS_KEY) == 0

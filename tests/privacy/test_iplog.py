"""IP log: requests are noted without an INSERT, flushed in batches, aggregated later."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacy.models import DestructionRecord, IpDailyStat, IpEvent, IpLogEntry
from privacy.services import iplog
from privacy.tasks import iplog_aggregate_task, iplog_flush_task
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture(autouse=True)
def _memory_buffer(settings):
    """The embedded default: no Redis, an empty process buffer, thresholds out of the way."""
    settings.REDIS_URL = ""
    settings.IP_LOG_BUFFER_SIZE = 1000
    settings.IP_LOG_FLUSH_SECONDS = 3600
    iplog.iplog_memory_take()
    yield
    iplog.iplog_memory_take()


def _inserts_into_log(queries) -> list[str]:
    table = IpLogEntry._meta.db_table
    return [
        q["sql"] for q in queries if q["sql"].upper().startswith("INSERT") and table in q["sql"]
    ]


def test_requests_are_logged_without_any_insert_then_flushed_in_one_batch(client):
    policy_url = reverse("privacy:policy")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(policy_url, REMOTE_ADDR="203.0.113.10").status_code == 200
        client.get("/no-such-page/", REMOTE_ADDR="203.0.113.11")
    assert _inserts_into_log(queries.captured_queries) == []
    assert not IpLogEntry.objects.exists()

    with CaptureQueriesContext(connection) as queries:
        assert iplog_flush_task.delay().get() == 4
    assert len(_inserts_into_log(queries.captured_queries)) == 1
    rows = list(IpLogEntry.objects.order_by("id"))
    assert [(r.ip, r.method, r.path, r.status) for r in rows[:1]] == [
        ("203.0.113.10", "GET", policy_url, 200)
    ]
    assert rows[-1].status == 404 and rows[-1].ip == "203.0.113.11"


def test_a_page_keeps_its_query_count_with_the_ip_log_on(
    client, settings, django_assert_num_queries
):
    client.get(reverse("privacy:policy"))  # warm up: the session, the policy
    settings.IP_LOG_ENABLED = False
    with CaptureQueriesContext(connection) as without_log:
        client.get(reverse("privacy:policy"))
    settings.IP_LOG_ENABLED = True
    with django_assert_num_queries(len(without_log.captured_queries)):
        client.get(reverse("privacy:policy"))


def test_signed_in_user_and_user_agent_are_noted(client):
    user = UserFactory(email="visitor@example.kz")
    client.login(username=user.username, password=PASSWORD)
    client.get(reverse("account_overview"), HTTP_USER_AGENT="Mozilla/5.0 test")
    iplog.iplog_flush()
    entry = IpLogEntry.objects.get(path=reverse("account_overview"))
    assert entry.user == user and entry.user_agent == "Mozilla/5.0 test"
    assert entry.ip == "127.0.0.1"


def test_static_files_and_health_checks_are_not_logged(client):
    client.get("/healthz")
    client.get("/static/privacy/cookie-consent.js")
    assert iplog.iplog_flush() == 0


def test_forwarded_address_is_trusted_only_behind_a_configured_proxy(client, settings):
    client.get(reverse("privacy:policy"), HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.5")
    settings.TRUSTED_PROXY_COUNT = 1
    client.get(reverse("privacy:policy"), HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.5")
    iplog.iplog_flush()
    assert list(IpLogEntry.objects.order_by("id").values_list("ip", flat=True)) == [
        "127.0.0.1",
        "10.0.0.5",
    ]


def test_full_memory_buffer_is_handed_to_the_write_task_after_commit(
    client, settings, django_capture_on_commit_callbacks
):
    settings.IP_LOG_BUFFER_SIZE = 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(2):
            client.get(reverse("privacy:policy"))
        assert callbacks == []  # below the threshold: nothing handed over
        client.get(reverse("privacy:policy"))
    assert len(callbacks) == 1
    assert IpLogEntry.objects.count() == 3


def test_old_buffer_is_handed_over_on_the_next_request(
    client, settings, django_capture_on_commit_callbacks
):
    settings.IP_LOG_FLUSH_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("privacy:policy"))
    assert IpLogEntry.objects.count() == 1


def _entry(ip: str, at: datetime, status: int = 200, user=None) -> IpLogEntry:
    return IpLogEntry(ip=ip, created_at=at, method="GET", path="/", status=status, user=user)


def test_raw_rows_past_retention_become_daily_counts_and_are_deleted(settings):
    settings.IP_LOG_RETENTION_DAYS = 30
    now = datetime(2026, 6, 30, 12, 0, tzinfo=ALMATY)
    old_day = datetime(2026, 5, 20, 10, 0, tzinfo=ALMATY)
    user = UserFactory()
    IpLogEntry.objects.bulk_create(
        [
            _entry("203.0.113.1", old_day),
            _entry("203.0.113.1", old_day + timedelta(hours=5), status=404, user=user),
            _entry("203.0.113.2", old_day),
            _entry("203.0.113.1", old_day + timedelta(days=1)),
            _entry("203.0.113.1", now - timedelta(days=2)),  # recent: kept raw
        ]
    )
    IpEvent.objects.create(ip="203.0.113.1", kind="order_created")
    IpEvent.objects.filter().update(created_at=old_day)

    assert iplog.iplog_aggregate(now=now) == 4
    stats = {
        (s.day.isoformat(), s.ip): (s.requests, s.error_responses, s.signed_in_requests)
        for s in IpDailyStat.objects.all()
    }
    # counted per network (IPv4 /24): the two addresses of one network add up
    assert stats == {
        ("2026-05-20", "203.0.113.0"): (3, 1, 1),
        ("2026-05-21", "203.0.113.0"): (1, 0, 0),
    }
    assert IpLogEntry.objects.count() == 1
    assert not IpEvent.objects.exists()
    (run,) = DestructionRecord.objects.all()
    assert (run.rule, run.rows, run.ran_by_label) == ("ip_requests", 5, "periodic task")
    assert "4 запрос" in run.what and "30" in run.what
    assert iplog.iplog_aggregate(now=now) == 0  # running again changes nothing
    assert IpDailyStat.objects.get(day="2026-05-20", ip="203.0.113.0").requests == 3
    assert DestructionRecord.objects.count() == 1  # nothing destroyed: no row


def test_ipv6_counts_are_kept_per_48_network_and_old_counts_are_deleted(settings):
    settings.IP_LOG_RETENTION_DAYS, settings.RETENTION_IP_STATS_DAYS = 30, 365
    now = datetime(2026, 6, 30, 12, 0, tzinfo=ALMATY)
    IpLogEntry.objects.bulk_create(
        [
            _entry("2001:db8:abcd:12::1", now - timedelta(days=40)),
            _entry("2001:db8:abcd:ff::7", now - timedelta(days=40)),
        ]
    )
    IpDailyStat.objects.create(day=date(2025, 6, 1), ip="203.0.113.0", requests=9)
    assert iplog.iplog_aggregate(now=now) == 2
    assert list(IpDailyStat.objects.values_list("ip", "requests")) == [("2001:db8:abcd::", 2)]
    assert set(DestructionRecord.objects.values_list("rule", "rows")) == {
        ("ip_requests", 2),
        ("ip_statistics", 1),
    }


def test_aggregation_task_uses_the_configured_retention(settings):
    settings.IP_LOG_RETENTION_DAYS = 1
    IpLogEntry.objects.bulk_create([_entry("203.0.113.9", timezone.now() - timedelta(days=3))])
    assert iplog_aggregate_task.delay().get() == 1
    assert IpDailyStat.objects.get().requests == 1

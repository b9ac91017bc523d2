"""The IP log: every request noted without slowing it down, written in batches, aggregated later.

The middleware only appends a small dict to a buffer:

* with ``REDIS_URL``: ``RPUSH`` to a Redis list (one round trip); the beat task
  ``iplog_flush_task`` moves batches from the list to the database with ``bulk_create``.
  While that Redis is down the rows are dropped (and Redis is not asked again for a few
  seconds, ``eventum.cache.breaker``): the page matters more than its log line;
* without it (the embedded default): a list in process memory; once it holds
  ``IP_LOG_BUFFER_SIZE`` rows or its oldest row is ``IP_LOG_FLUSH_SECONDS`` old, the batch is
  handed to ``iplog_write_task`` (after the current transaction, if any, commits).

Raw rows are kept ``IP_LOG_RETENTION_DAYS`` days, then ``iplog_aggregate`` folds each day into
counts per IP (``IpDailyStat``) and deletes the raw rows.
"""

import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from redis import Redis
from redis.exceptions import RedisError

from eventum.cache import breaker
from privacy.identity import ip_network
from privacy.models import IpDailyStat, IpEvent, IpLogEntry
from privacy.retention import retention_rule
from privacy.services.retention import destruction_record

logger = logging.getLogger(__name__)

REDIS_KEY = "eventum:privacy:iplog"
REDIS_LOCK_KEY = "eventum:privacy:iplog:flush-lock"
BATCH_SIZE = 1000

_memory_rows: list[dict[str, Any]] = []
_memory_started_at: float | None = None
_memory_lock = threading.Lock()


@lru_cache(maxsize=4)
def _redis_client(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _redis() -> Redis | None:
    url = getattr(settings, "REDIS_URL", "")
    return _redis_client(url) if url else None


def iplog_row(
    *,
    ip: str,
    method: str,
    path: str,
    status: int,
    user_agent: str = "",
    user_id: int | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """A JSON-serialisable buffer row."""
    return {
        "t": (at or timezone.now()).isoformat(),
        "ip": ip,
        "m": method[:8],
        "p": path[:500],
        "s": int(status),
        "ua": (user_agent or "")[:300],
        "u": user_id,
    }


def iplog_buffer_push(row: dict[str, Any]) -> None:
    """Note one request. Never writes to the database itself."""
    client = _redis()
    if client is not None:
        url = settings.REDIS_URL
        if breaker.paused(url):  # down a moment ago: the row is lost without a wait
            return
        try:
            client.rpush(REDIS_KEY, json.dumps(row, separators=(",", ":")))
        except RedisError as error:  # a broken Redis must not break the page; the row is lost
            logger.warning("IP log: Redis unavailable, request not logged (%s)", error)
            breaker.trip(url, error)
        return
    batch = _memory_push(row)
    if batch:
        _hand_over(batch)


def _memory_push(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Append to the process buffer; return the batch to write when a threshold is reached."""
    global _memory_started_at
    now = time.monotonic()
    with _memory_lock:
        _memory_rows.append(row)
        if _memory_started_at is None:
            _memory_started_at = now
        full = len(_memory_rows) >= settings.IP_LOG_BUFFER_SIZE
        old = now - _memory_started_at >= settings.IP_LOG_FLUSH_SECONDS
        if not (full or old):
            return []
        return _memory_take_locked()


def _memory_take_locked() -> list[dict[str, Any]]:
    global _memory_started_at
    batch = _memory_rows[:]
    _memory_rows.clear()
    _memory_started_at = None
    return batch


def iplog_memory_take() -> list[dict[str, Any]]:
    """Empty this process's buffer and return what it held."""
    with _memory_lock:
        return _memory_take_locked()


def _hand_over(batch: list[dict[str, Any]]) -> None:
    # In the function: ``privacy.tasks`` imports this module (its tasks call these services).
    from privacy.tasks import iplog_write_task

    # After the request's transaction (if any): the log must not ride on a rolled-back one.
    transaction.on_commit(lambda: iplog_write_task.delay(batch))


def iplog_write(rows: list[dict[str, Any]]) -> int:
    """Insert buffer rows with ``bulk_create`` (one INSERT per 1000 rows); returns the count."""
    entries = []
    for row in rows:
        created_at = parse_datetime(row["t"]) if isinstance(row.get("t"), str) else None
        entries.append(
            IpLogEntry(
                created_at=created_at or timezone.now(),
                ip=row["ip"],
                method=row.get("m", "")[:8],
                path=row.get("p", "")[:500],
                status=int(row.get("s", 0)),
                user_agent=row.get("ua", "")[:300],
                user_id=row.get("u"),
            )
        )
    IpLogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    return len(entries)


def iplog_flush(*, max_rows: int = 100_000) -> int:
    """Move buffered rows to the database: this process's memory buffer and the Redis list.

    Redis rows are read, written, and only then trimmed from the list, under a lock, so a
    failed write leaves them for the next run. Returns the number of rows written.
    """
    written = 0
    batch = iplog_memory_take()
    if batch:
        written += iplog_write(batch)
    client = _redis()
    if client is None:
        return written
    lock = client.lock(REDIS_LOCK_KEY, timeout=300, blocking=False)
    if not lock.acquire(blocking=False):
        return written
    try:
        while written < max_rows:
            raw = client.lrange(REDIS_KEY, 0, BATCH_SIZE - 1)
            if not raw:
                break
            rows = []
            for item in raw:
                try:
                    rows.append(json.loads(item))
                except ValueError:
                    logger.warning("IP log: dropping an unreadable buffered row")
            with transaction.atomic():
                written += iplog_write(rows)
            client.ltrim(REDIS_KEY, len(raw), -1)
    finally:
        lock.release()
    return written


def iplog_aggregate(*, now: datetime | None = None) -> int:
    """Fold raw rows older than the retention period into daily counts per IP; delete them.

    Whole days (in Almaty time) only; running it twice changes nothing. Payment-flow risk events
    older than the retention period are deleted too. Returns the number of raw rows folded.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localtime(now or timezone.now(), zone).date()
    cutoff_day = today - timedelta(days=settings.IP_LOG_RETENTION_DAYS)
    cutoff = datetime.combine(cutoff_day, datetime.min.time(), tzinfo=zone)
    folded = events = stats = 0
    with transaction.atomic():
        old = IpLogEntry.objects.filter(created_at__lt=cutoff)
        last_id = old.order_by("-id").values_list("id", flat=True).first()
        if last_id is not None:
            old = old.filter(id__lte=last_id)
            groups = (
                old.annotate(day=TruncDate("created_at", tzinfo=zone))
                .values("day", "ip")
                .annotate(
                    requests=Count("id"),
                    errors=Count("id", filter=Q(status__gte=400)),
                    signed_in=Count("id", filter=Q(user__isnull=False)),
                )
                .order_by()
            )
            folded = _fold_into_daily_stats(list(groups))
            old.delete()
        events, _by_model = IpEvent.objects.filter(created_at__lt=cutoff).delete()
        stats_cutoff = today - timedelta(days=settings.RETENTION_IP_STATS_DAYS)
        stats, _by_model = IpDailyStat.objects.filter(day__lt=stats_cutoff).delete()
        _record_destruction(folded=folded, events=events, stats=stats)
    return folded


def _record_destruction(*, folded: int, events: int, stats: int) -> None:
    """One row in the destruction trail per rule that destroyed something in this run, in the
    site's language (staff read the trail)."""
    with translation.override(settings.LANGUAGE_CODE):
        _record_destruction_rows(folded=folded, events=events, stats=stats)


def _record_destruction_rows(*, folded: int, events: int, stats: int) -> None:
    if folded or events:
        rule = retention_rule("ip_requests")
        destruction_record(
            rule=rule.key,
            what=gettext(
                "%(requests)s requests and %(events)s payment-flow events by IP address older "
                "than %(days)s days; requests kept as daily counts per network"
            )
            % {"requests": folded, "events": events, "days": settings.IP_LOG_RETENTION_DAYS},
            why=rule.why,
            rows=folded + events,
        )
    if stats:
        rule = retention_rule("ip_statistics")
        destruction_record(
            rule=rule.key,
            what=gettext("%(rows)s daily counts per network older than %(days)s days")
            % {"rows": stats, "days": settings.RETENTION_IP_STATS_DAYS},
            why=rule.why,
            rows=stats,
        )


def _fold_into_daily_stats(groups: Sequence[Mapping[str, Any]]) -> int:
    """Add the day's counts per address to the counts of its network (IPv4 /24, IPv6 /48):
    the address itself is not kept."""
    merged: dict[tuple[Any, str], dict[str, Any]] = {}
    for group in groups:
        key = (group["day"], ip_network(group["ip"]) or group["ip"])
        total = merged.setdefault(
            key, {"day": key[0], "ip": key[1], "requests": 0, "errors": 0, "signed_in": 0}
        )
        for count in ("requests", "errors", "signed_in"):
            total[count] += group[count]
    groups = list(merged.values())
    existing = {
        (stat.day, stat.ip): stat
        for stat in IpDailyStat.objects.select_for_update().filter(
            day__in={group["day"] for group in groups}
        )
    }
    created, changed = [], []
    for group in groups:
        stat = existing.get((group["day"], group["ip"]))
        if stat is None:
            stat = IpDailyStat(day=group["day"], ip=group["ip"])
            created.append(stat)
        else:
            changed.append(stat)
        stat.requests += group["requests"]
        stat.error_responses += group["errors"]
        stat.signed_in_requests += group["signed_in"]
    IpDailyStat.objects.bulk_create(created, batch_size=BATCH_SIZE)
    IpDailyStat.objects.bulk_update(
        changed, ["requests", "error_responses", "signed_in_requests"], batch_size=500
    )
    return sum(group["requests"] for group in groups)

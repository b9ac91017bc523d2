"""Django's Redis cache backend, with one Redis client per connection pool instead of per call,
short socket timeouts, and a breaker that stops asking a Redis that is down.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` object around the
shared connection pool on every cache call. Building it costs more than a small ``GET`` on
a local Redis (a profile of the event page served from the page cache spent a third of the
cache read there). A ``redis.Redis`` client is thread-safe — it takes a connection from its
pool for each command — so one per pool serves every thread of a worker.

The cache is an accelerator and a counter, never the only copy of anything: callers catch
``CACHE_ERRORS`` and go on without it (``events/page_cache.py``, ``eventum/ratelimit.py``).
So that going on without it stays fast, a command gives up after ``SOCKET_TIMEOUT_SECONDS``
(redis-py waits forever by default, and a Redis that stopped answering would hold every
request), and once a command found the server unreachable, the process does not try that
server again for ``OUTAGE_PAUSE_SECONDS``: the calls in between raise ``CacheUnavailable`` at
once instead of each waiting for its own timeout.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What a cache call raises when the cache server is down or unreachable.
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError,)
SOCKET_TIMEOUT_SECONDS = 1.0
OUTAGE_PAUSE_SECONDS = 5.0


class CacheUnavailable(RedisConnectionError):
    """Raised without a round trip while the server is paused after an outage."""


class OutageBreaker:
    """Remembers, per server, until when a process should not try it again."""

    def __init__(self, pause_seconds: float = OUTAGE_PAUSE_SECONDS) -> None:
        self.pause_seconds = pause_seconds
        self._down_until: dict[str, float] = {}

    def paused(self, server: str) -> bool:
        return time.monotonic() < self._down_until.get(server, 0.0)

    def trip(self, server: str, error: Exception) -> None:
        if not self.paused(server):
            logger.warning(
                "Redis at %s unreachable (%s); not tried again for %s s",
                _without_password(server),
                error,
                self.pause_seconds,
            )
        self._down_until[server] = time.monotonic() + self.pause_seconds


def _without_password(urls: str) -> str:
    shown = []
    for url in urls.split(","):
        scheme, sep, rest = url.partition("://")
        shown.append(f"{scheme}{sep}{rest.rpartition('@')[2]}")
    return ",".join(shown)


# One per process, shared by every thread's cache backend (Django builds one per thread).
breaker = OutageBreaker()

_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


def _guarded(operation: Any) -> Any:
    @functools.wraps(operation)
    def call(self: ReusedRedisCacheClient, *args: Any, **kwargs: Any) -> Any:
        server = self._breaker_key
        if breaker.paused(server):
            raise CacheUnavailable(f"cache server paused after an outage: {operation.__name__}")
        try:
            return operation(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            breaker.trip(server, error)
            raise

    return call


class ReusedRedisCacheClient(RedisCacheClient):
    # Django's private attributes that this client builds on (not in the type stubs).
    _servers: list[str]
    _client: Callable[..., Any]
    _get_connection_pool: Callable[[bool], Any]
    _get_connection_pool_index: Callable[[bool], int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._clients_lock = threading.Lock()
        self._breaker_key = ",".join(self._servers)

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # Django creates a server's pool on first use without a lock: two threads starting
            # together would each make one (and a client on each), so both happen under ours.
            with self._clients_lock:
                client = self._clients.get(index)
                if client is None:
                    pool = self._get_connection_pool(write)
                    client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def counts_add(self, keys: list[tuple[str, int]]) -> list[int]:
        """One more under each counter ``(key, timeout)``: the counts so far, in one round
        trip. A counter the window has not made yet starts at 0 with its timeout
        (``SET NX EX``, every Redis version), then counts (``INCR``)."""
        pipe = self.get_client(write=True).pipeline(transaction=False)
        for key, timeout in keys:
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
        return [int(count) for count in pipe.execute()[1::2]]


for _name in (*_OPERATIONS, "counts_add"):
    setattr(ReusedRedisCacheClient, _name, _guarded(getattr(ReusedRedisCacheClient, _name)))
del _name


class ReusedClientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with :class:`ReusedRedisCacheClient`.

    ``OPTIONS`` may set ``socket_timeout`` and ``socket_connect_timeout`` (seconds); both
    default to ``SOCKET_TIMEOUT_SECONDS``.
    """

    _options: dict[str, Any]  # Django's private attribute (not in the type stubs)

    _cache: ReusedRedisCacheClient  # Django's private attribute (not in the type stubs)

    def counts_add(self, keys: list[tuple[str, int]]) -> list[int]:
        """One more under each counter ``(key, timeout)`` (a cache key, as ``incr`` takes):
        the counts so far, in one round trip; ``cache.get`` reads them as numbers."""
        made = [(self.make_and_validate_key(key), timeout) for key, timeout in keys]
        return self._cache.counts_add(made)

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
        self._options = {
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            **self._options,
        }

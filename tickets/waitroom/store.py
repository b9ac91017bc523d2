"""Where the waiting room's live state is kept: Redis, or this process's memory without it.

With ``REDIS_URL`` every web process reads and writes the same sorted sets and hashes, so a
place in the queue outlives a restart or a deploy of the web processes (the state is only in
Redis). The embedded default (no Redis, ``make run``: one process) keeps the same structures in
``MemoryStore``, a lock-guarded subset of the Redis commands the room uses; it is lost when the
process stops, which the embedded default accepts for everything it keeps in memory.
"""

import builtins
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from redis import Redis

PREFIX = "eventum:waitroom"


class MemoryStore:
    """The Redis commands of the waiting room on dicts (strings in, strings out, like
    ``decode_responses=True``). Thread-safe; expiry is checked when a key is read."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}
        self._expires: dict[str, float] = {}
        self._lock = threading.RLock()

    # -- keys
    def _live(self, key: str) -> Any:
        until = self._expires.get(key)
        if until is not None and time.time() >= until:
            self._data.pop(key, None)
            self._expires.pop(key, None)
        return self._data.get(key)

    def delete(self, *keys: str) -> int:
        with self._lock:
            gone = 0
            for key in keys:
                gone += self._data.pop(key, None) is not None
                self._expires.pop(key, None)
            return gone

    def flush(self) -> None:
        with self._lock:
            self._data.clear()
            self._expires.clear()

    # -- strings
    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._live(key)
            return None if value is None else str(value)

    def set(self, key: str, value: Any, *, nx: bool = False, px: int | None = None) -> bool | None:
        with self._lock:
            if nx and self._live(key) is not None:
                return None
            self._data[key] = str(value)
            if px is not None:
                self._expires[key] = time.time() + px / 1000
            else:
                self._expires.pop(key, None)
            return True

    def incr(self, key: str) -> int:
        with self._lock:
            value = int(self._live(key) or 0) + 1
            self._data[key] = str(value)
            return value

    # -- hashes
    def hgetall(self, key: str) -> dict[str, str]:
        with self._lock:
            return dict(self._live(key) or {})

    def hset(self, key: str, mapping: dict[str, Any]) -> int:
        with self._lock:
            current = self._live(key)
            if current is None:
                current = self._data[key] = {}
            current.update({k: str(v) for k, v in mapping.items()})
            return len(mapping)

    # -- sorted sets
    def _zset(self, key: str) -> dict[str, float]:
        current = self._live(key)
        if current is None:
            current = self._data[key] = {}
        return current

    def zadd(self, key: str, mapping: dict[str, float], nx: bool = False) -> int:
        with self._lock:
            members = self._zset(key)
            added = 0
            for member, score in mapping.items():
                if member in members and nx:
                    continue
                added += member not in members
                members[member] = float(score)
            return added

    def zrank(self, key: str, member: str) -> int | None:
        with self._lock:
            members = self._live(key) or {}
            if member not in members:
                return None
            mine = (members[member], member)
            return sum(1 for m, s in members.items() if (s, m) < mine)

    def zcard(self, key: str) -> int:
        with self._lock:
            return len(self._live(key) or {})

    def zrange(self, key: str, start: int, end: int) -> list[str]:
        with self._lock:
            members = self._live(key) or {}
            ordered = [m for m, _ in sorted(members.items(), key=lambda item: (item[1], item[0]))]
            return ordered[start : (None if end == -1 else end + 1)]

    # -- lists
    def lpush(self, key: str, *values: Any) -> int:
        with self._lock:
            current = self._live(key)
            if current is None:
                current = self._data[key] = []
            for value in values:
                current.insert(0, str(value))
            return len(current)

    def ltrim(self, key: str, start: int, end: int) -> bool:
        with self._lock:
            current = self._live(key) or []
            self._data[key] = current[start : (None if end == -1 else end + 1)]
            return True

    def lrange(self, key: str, start: int, end: int) -> list[str]:
        with self._lock:
            current = self._live(key) or []
            return list(current[start : (None if end == -1 else end + 1)])

    # -- sets
    def sadd(self, key: str, *members: str) -> int:
        with self._lock:
            current = self._live(key)
            if current is None:
                current = self._data[key] = set()
            before = len(current)
            current.update(members)
            return len(current) - before

    def srem(self, key: str, *members: str) -> int:
        with self._lock:
            current = self._live(key) or set()
            before = len(current)
            current.difference_update(members)
            return before - len(current)

    def scard(self, key: str) -> int:
        with self._lock:
            return len(self._live(key) or set())

    def smembers(self, key: str) -> builtins.set[str]:
        with self._lock:
            return set(self._live(key) or set())

    def pipeline(self, transaction: bool = False) -> "MemoryPipeline":
        return MemoryPipeline(self)


class MemoryPipeline:
    """Queues commands and runs them together under the store's lock, as Redis would."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._calls: list[tuple[Callable[..., Any], tuple, dict]] = []

    def __getattr__(self, name: str) -> Callable[..., "MemoryPipeline"]:
        command = getattr(self._store, name)

        def queue(*args: Any, **kwargs: Any) -> "MemoryPipeline":
            self._calls.append((command, args, kwargs))
            return self

        return queue

    def execute(self) -> list[Any]:
        with self._store._lock:
            results = [command(*args, **kwargs) for command, args, kwargs in self._calls]
        self._calls = []
        return results


_memory = MemoryStore()


@lru_cache(maxsize=4)
def _redis_client(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1, decode_responses=True)


def store() -> Any:
    """The room's store: a Redis client (``REDIS_URL``) or the process's ``MemoryStore``."""
    url = getattr(settings, "REDIS_URL", "")
    return _redis_client(url) if url else _memory


def key(event_id: int, part: str) -> str:
    return f"{PREFIX}:{event_id}:{part}"

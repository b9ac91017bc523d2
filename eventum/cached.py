"""Small read-mostly values kept in the cache because every page or every order asks for them:
the operator and the policy versions in force (privacy), an organizer's payment methods and
webhook endpoints (tickets, organizers). The cache is only an accelerator: when it is down the
value is read from the database, and writers forget it at once and again after commit (so no
other process re-caches the old value from before the commit).

Each process also keeps what it read for ``LOCAL_SECONDS`` (one order asks for four of these
values; a rush makes hundreds of orders a second per process): a change made in another
process is seen at most that long after it, one made in this process at once. The values are
shared between requests: callers read them and never change them.
"""

import contextlib
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import transaction

from eventum.cache import CACHE_ERRORS

T = TypeVar("T")

LOCAL_SECONDS = 1.0
_LOCAL_MOST = 10_000  # values kept by one process (then it starts again)
# key -> (kept until, by time.monotonic(); the value)
_local: dict[str, tuple[float, Any]] = {}


def cached_read(key: str, seconds: int, compute: Callable[[], T]) -> T:
    """The cached value of ``key``, computed and stored when absent."""
    now = time.monotonic()
    kept = _local.get(key)
    if kept is not None and kept[0] > now:
        return cast(T, kept[1])
    try:
        value = cache.get(key)
    except CACHE_ERRORS:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(*CACHE_ERRORS):
            cache.set(key, value, seconds)
    if len(_local) >= _LOCAL_MOST:
        _local.clear()
    _local[key] = (now + min(LOCAL_SECONDS, seconds), value)
    return cast(T, value)


def cached_forget(key: str) -> None:
    """Drop ``key`` now and once more when the current transaction commits."""

    def forget() -> None:
        _local.pop(key, None)
        with contextlib.suppress(*CACHE_ERRORS):
            cache.delete(key)

    forget()
    transaction.on_commit(forget)

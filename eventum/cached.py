"""Small read-mostly values kept in the cache because every page or every order asks for them:
the operator and the policy versions in force (privacy), an organizer's payment methods and
webhook endpoints (tickets, organizers). The cache is only an accelerator: when it is down the
value is read from the database, and writers forget it at once and again after commit (so no
other process re-caches the old value from before the commit)."""

import contextlib
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache
from django.db import transaction

from eventum.cache import CACHE_ERRORS

T = TypeVar("T")


def cached_read(key: str, seconds: int, compute: Callable[[], T]) -> T:
    """The cached value of ``key``, computed and stored when absent."""
    try:
        value = cache.get(key)
    except CACHE_ERRORS:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(*CACHE_ERRORS):
            cache.set(key, value, seconds)
    return cast(T, value)


def cached_forget(key: str) -> None:
    """Drop ``key`` now and once more when the current transaction commits."""

    def forget() -> None:
        with contextlib.suppress(*CACHE_ERRORS):
            cache.delete(key)

    forget()
    transaction.on_commit(forget)

"""Web sessions in the database, as Django keeps them, read from the cache while anonymous.

Every page a visitor with a session asks for (a rush buyer's event page, cart and checkout)
first reads the session. An anonymous visitor's session (the cart, the orders just bought,
the cookie choice) is also kept in the cache, so it is read from there: Django's
``cached_db`` engine. A signed-in session is never taken from the cache: it is read from the
database every time, so signing out (or an account being blocked or deleted) ends it at once,
even when the cache could not be told because it was down. The cache is an accelerator: when
it is down, sessions are read from and written to the database as before.

A new visitor's session key is inserted at once, without first asking whether it is taken: a
taken key fails the insert (``save(must_create=True)`` raises ``CreateError``) and ``create()``
draws another, so no two visitors ever share a key.
"""

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore
from django.contrib.sessions.models import Session
from django.core.cache.backends.base import BaseCache
from django.utils.crypto import get_random_string

from eventum.cache import CACHE_ERRORS
from eventum.rows import instance_insert_unless_taken, instance_update

logger = logging.getLogger(__name__)


class SessionStore(CachedDatabaseStore):
    # Django's own attributes that this engine builds on (not in the type stubs).
    _cache: BaseCache
    _session: dict[str, Any]
    _get_session_from_db: Callable[[], Session | None]
    _get_session: Callable[..., dict[str, Any]]

    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def load(self) -> dict[str, Any]:
        data = None
        with contextlib.suppress(*CACHE_ERRORS):
            data = self._cache.get(self.cache_key)
        if data is not None and SESSION_KEY not in data:
            return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        self._cache_keep(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        # the database's copy first, as Django's engine does; then the cache's
        if self.session_key is None:
            self.create()  # draws a key and saves with it
            return
        row = self.create_model_instance(self._get_session(no_load=must_create))
        # one statement each, as Django's engine writes them but without the transaction
        # around a single statement and the ORM's build of it: a taken key (insert) or a
        # session gone meanwhile (update) writes nothing and says so, as Django's does
        if must_create:
            if not instance_insert_unless_taken(row):
                raise CreateError
        elif not instance_update(row, ["session_data", "expire_date"]):
            raise UpdateError
        self._cache_keep(self._session, self.get_expiry_age())

    def delete(self, session_key: str | None = None) -> None:
        super(CachedDatabaseStore, self).delete(session_key)
        session_key = session_key or self.session_key
        if session_key is not None:
            self._cache_forget(self.cache_key_prefix + session_key)

    def _cache_keep(self, data: dict[str, Any], seconds: int) -> None:
        """Keep an anonymous session's data in the cache; a signed-in one is not kept."""
        if SESSION_KEY in data:
            self._cache_forget(self.cache_key)
            return
        try:
            self._cache.set(self.cache_key, data, seconds)
        except CACHE_ERRORS:
            logger.warning("session not kept in the cache: the cache is unavailable")

    def _cache_forget(self, key: str) -> None:
        try:
            self._cache.delete(key)
        except CACHE_ERRORS:
            logger.warning("session not dropped from the cache: the cache is unavailable")

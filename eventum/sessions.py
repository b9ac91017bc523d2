"""Web sessions in the database, as Django keeps them, one query cheaper for a new visitor.

Django draws a new session key and first asks the database whether it is taken, then inserts
it. A new visitor of an on-sale (every rush buyer is one) pays that query. Here the key is
inserted at once: a taken key fails the insert (``save(must_create=True)`` raises
``CreateError``), and ``create()`` then draws another, so no two visitors ever share a key.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

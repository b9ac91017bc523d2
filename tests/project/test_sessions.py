"""Web sessions: kept in the database; an anonymous one is read from the cache, a signed-in
one always from the database (signing out ends it even when the cache could not be told); a
cache that is down changes nothing but speed; a new session's key is inserted without first
looking it up, and a taken key is never shared."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from redis.exceptions import ConnectionError as RedisConnectionError

from eventum import sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sql(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"].lstrip().upper() for q in queries.captured_queries]


def test_the_portal_uses_this_session_store():
    assert settings.SESSION_ENGINE == "eventum.sessions"


def test_a_new_session_is_inserted_without_looking_up_its_key_first():
    store = sessions.SessionStore()
    store["cart"] = "x"
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert not any(sql.startswith("SELECT") for sql in _sql(queries)), _sql(queries)
    assert Session.objects.get(session_key=store.session_key).get_decoded() == {"cart": "x"}


def test_a_key_already_taken_is_never_shared(monkeypatch):
    first = sessions.SessionStore()
    first["who"] = "first"
    first.save()
    keys = iter([first.session_key, "k" * 32])
    monkeypatch.setattr(sessions.SessionStore, "_get_new_session_key", lambda self: next(keys))
    second = sessions.SessionStore()
    second["who"] = "second"
    second.save()
    assert second.session_key == "k" * 32
    assert sessions.SessionStore(first.session_key).load() == {"who": "first"}
    assert sessions.SessionStore(second.session_key).load() == {"who": "second"}


def test_an_anonymous_session_is_read_from_the_cache(django_assert_num_queries):
    store = sessions.SessionStore()
    store["cart"] = "token"
    store.save()
    with django_assert_num_queries(0):
        assert sessions.SessionStore(store.session_key).load() == {"cart": "token"}
    store["cart"] = "another"
    store.save()  # the database first, then the cache
    with django_assert_num_queries(0):
        assert sessions.SessionStore(store.session_key).load() == {"cart": "another"}
    assert Session.objects.get(session_key=store.session_key).get_decoded() == {"cart": "another"}


def test_a_signed_in_session_is_always_read_from_the_database(client):
    user = UserFactory()
    client.force_login(user)
    key = client.session.session_key
    with CaptureQueriesContext(connection) as queries:
        assert sessions.SessionStore(key).load()[SESSION_KEY] == str(user.pk)
    assert any("DJANGO_SESSION" in sql for sql in _sql(queries))
    # The row is gone (signed out elsewhere, or the account ended): so is the session.
    Session.objects.filter(session_key=key).delete()
    assert sessions.SessionStore(key).load() == {}
    assert client.get("/accounts/email/").status_code == 302  # sent to sign in


def test_signing_out_ends_the_session_even_if_the_cache_was_not_told(client, monkeypatch):
    user = UserFactory()
    client.force_login(user)
    key = client.session.session_key
    monkeypatch.setattr(sessions.SessionStore, "_cache_forget", lambda self, key: None)
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert SESSION_KEY not in sessions.SessionStore(key).load()


def test_sessions_work_without_the_cache(monkeypatch):
    def down(*args, **kwargs):
        raise RedisConnectionError("the cache is down")

    store = sessions.SessionStore()
    monkeypatch.setattr(store._cache, "get", down)
    monkeypatch.setattr(store._cache, "set", down)
    monkeypatch.setattr(store._cache, "delete", down)
    store["cart"] = "token"
    store.save()
    reader = sessions.SessionStore(store.session_key)
    reader._cache = store._cache
    assert reader.load() == {"cart": "token"}
    store.delete()
    assert not Session.objects.filter(session_key=store.session_key).exists()


def test_a_session_is_written_in_one_statement_each_time():
    store = sessions.SessionStore()
    store["cart"] = "x"
    with CaptureQueriesContext(connection) as queries:
        store.save()  # new: inserted
        store["cart"] = "y"
        store.save()  # changed: updated
    assert [sql.split()[0] for sql in _sql(queries)] == ["INSERT", "UPDATE"]
    assert Session.objects.get(session_key=store.session_key).get_decoded() == {"cart": "y"}


def test_a_session_ended_meanwhile_is_not_written_again():
    """Signed out in another tab: the row is gone, and this request's save says so (Django's
    middleware then answers that the session was interrupted) instead of bringing it back."""
    store = sessions.SessionStore()
    store["cart"] = "x"
    store.save()
    Session.objects.filter(session_key=store.session_key).delete()
    store["cart"] = "y"
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(session_key=store.session_key).exists()

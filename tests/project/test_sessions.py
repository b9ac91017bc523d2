"""Web sessions: a new visitor's session is inserted without first asking whether its key is
taken, and a taken key is never shared: the insert fails and another key is drawn."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eventum import sessions

pytestmark = pytest.mark.django_db


def test_the_portal_uses_this_session_store():
    assert settings.SESSION_ENGINE == "eventum.sessions"


def test_a_new_session_is_inserted_without_looking_up_its_key_first():
    store = sessions.SessionStore()
    store["cart"] = "x"
    with CaptureQueriesContext(connection) as queries:
        store.save()
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any(s.lstrip().upper().startswith("SELECT") for s in sql), sql
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

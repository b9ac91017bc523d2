"""The events app's explicit hooks: registered by the tickets app, checked at start-up."""

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from events import hooks
from events.checks import hooks_registered


def test_every_hook_is_registered_and_the_check_passes():
    assert hooks.hooks_missing() == []
    assert [m for m in checks.run_checks() if m.id == "events.E001"] == []


def test_a_missing_hook_fails_the_system_check(monkeypatch):
    monkeypatch.delitem(hooks._registered, "event_cancelled")
    errors = hooks_registered()
    assert [(e.id, e.level) for e in errors] == [("events.E001", checks.ERROR)]
    assert "event_cancelled" in errors[0].msg
    # ``manage.py check`` (and so start-up of runserver/migrate) reports it.
    assert any(m.id == "events.E001" for m in checks.run_checks())


def test_calling_a_missing_hook_is_an_error_not_a_silent_skip(monkeypatch):
    monkeypatch.delitem(hooks._registered, "seats_blocked")
    with pytest.raises(ImproperlyConfigured, match="seats_blocked"):
        hooks.hook_call("seats_blocked", session=None, seat_ids=[1])


def test_an_unknown_hook_cannot_be_registered():
    with pytest.raises(ImproperlyConfigured):
        hooks.hook_register("event_renamed", lambda **kwargs: None)

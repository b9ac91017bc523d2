"""The public API against its own generated OpenAPI schema (Schemathesis): generated requests
to every endpoint, as a signed-in buyer and with an organizer's key, never get a server error,
and every answer's body matches the schema documented for its status."""

import pytest
import schemathesis
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from eventum.api.site import api
from organizers.services import api_key_create
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory, UserFactory

_handler = WSGIHandler()


def _app(environ, start_response):
    """Django's WSGI handler as its test client runs it (the test's connection stays open)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = _handler(environ, start_response)
        body = b"".join(response)
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return [body]


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = _app


@pytest.fixture
def callers(db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    event = EventFactory()
    TicketTypeFactory(session=SessionFactory(event=event), quantity=20)
    user = UserFactory()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    key = api_key_create(
        organizer=event.organizer,
        label="CRM",
        scopes=["events:read", "events:write", "orders:read", "orders:refund", "checkin"],
        created_by=None,
    )
    return {"X-Session-Token": session.session_key, "Authorization": f"Bearer {key.secret}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_schema(case, callers):
    cache.clear()  # the rate limits are tested on their own
    case.call_and_validate(
        headers=callers,
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.response_schema_conformance,
        ],
    )


@pytest.mark.django_db
def test_the_generated_calls_are_signed_in(client, callers):
    """The run above exercises the endpoints themselves, not only their 401s."""
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in callers.items()}
    assert client.get("/api/v1/me/orders", **headers).status_code == 200
    assert client.get("/api/v1/organizer/events", **headers).status_code == 200
    stats = client.get("/api/v1/organizer/checkin/stats", {"event": "none"}, **headers)
    assert stats.status_code == 404  # past the key's scope check: an unknown event

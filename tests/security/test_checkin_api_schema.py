"""The check-in API against its OpenAPI description (tickets/openapi/checkin.yaml).

Schemathesis generates requests from the description and checks every answer: no server
error, a documented status, a body matching the documented schema, the documented headers.
Each generated request is sent twice: as generated, and aimed at a real event of the device's
organizer (so the 200 answers are exercised, not only the 404s).
"""

import json
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.tickets.delivery_helpers import paid_order
from tickets.checkin.services import scanner_device_create
from tickets.models import CheckIn
from tickets.qr import qr_payload

SPEC = Path(__file__).resolve().parents[2] / "tickets" / "openapi" / "checkin.yaml"

_handler = WSGIHandler()


def _app(environ, start_response):
    """Django's WSGI handler as its test client runs it: the request must not close the test's
    database connection (it would on PostgreSQL, where the test runs inside a transaction)."""
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


schema = schemathesis.openapi.from_path(str(SPEC))
schema.app = _app


@pytest.fixture
def scanner(db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    order = paid_order(quantity=1)
    device = scanner_device_create(organizer=order.event.organizer, label="Вход А", created_by=None)
    return order, device.token


def _aim_at_real_event(case, order) -> None:
    if isinstance(case.body, dict):
        case.body = {**case.body, "event": order.event.slug}
        if len(str(case.body.get("code", ""))) % 2:  # half of them: the real ticket
            case.body["code"] = qr_payload(order.items.get())
    if isinstance(case.query, dict) and "event" in case.query:
        case.query = {**case.query, "event": order.event.slug}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_checkin_api_matches_its_description(case, scanner):
    order, token = scanner
    headers = {"Authorization": f"Bearer {token}"}
    cache.clear()  # the per-device limit (10 a second) is tested in tests/tickets
    case.call_and_validate(headers=headers)
    _aim_at_real_event(case, order)
    # The aimed copy is no longer what was generated: judge its answer, not its negativity.
    case.call_and_validate(
        headers=headers,
        excluded_checks=[
            schemathesis.checks.negative_data_rejection,
            schemathesis.checks.positive_data_acceptance,
        ],
    )
    assert CheckIn.objects.count() <= 1  # one ticket, checked in at most once


def test_description_documents_what_the_readme_promises():
    text = SPEC.read_text()
    for needle in ("/orders/api/checkin/", "/orders/api/checkin/stats/", '"429"', '"401"'):
        assert needle in text
    for result in ("valid", "used", "cancelled", "wrong_event", "unknown"):
        assert result in text


def _scan(client, token, payload):
    return client.post(
        "/orders/api/checkin/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"session": "42"},
        {"session": True},
        {"session": [1]},
        {"code": 12345},
        {"code": ["EVT1:x"]},
        {"event": {"slug": "x"}},
    ],
    ids=["session-text", "session-bool", "session-list", "code-int", "code-list", "event-dict"],
)
def test_a_body_that_is_not_as_documented_is_refused_and_checks_nothing_in(client, scanner, change):
    order, token = scanner
    payload = {"code": qr_payload(order.items.get()), "event": order.event.slug, **change}
    response = _scan(client, token, payload)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_a_session_of_another_event_is_not_taken_for_any_session(client, scanner):
    order, token = scanner
    other_session = paid_order(quantity=1).items.get().ticket_type.session
    payload = {
        "code": qr_payload(order.items.get()),
        "event": order.event.slug,
        "session": other_session.pk,
    }
    response = _scan(client, token, payload)
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_session"
    assert not CheckIn.objects.exists()
    payload["session"] = order.items.get().ticket_type.session_id
    assert _scan(client, token, payload).json()["result"] == "valid"

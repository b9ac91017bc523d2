"""The privacy self-service through the API: export, marketing consent on the API channel with
the app's name, blocking and access requests through the privacy services, and their limits."""

import json

import pytest

from privacy.models import BlockingRequest, ConsentRecord, SubjectAccessRequest
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client, policy):
    client.user = UserFactory(email="aigerim@example.kz", first_name="Айгерим")
    client.force_login(client.user)
    return client


def test_marketing_on_and_off_is_written_to_the_ledger_on_the_api_channel(user_client):
    response = user_client.put(
        "/api/v1/me/privacy/marketing",
        {"consent": True},
        content_type="application/json",
        HTTP_X_APP_NAME="Kassa Android 1.0",
    )
    assert response.json()["marketing"] is True
    user_client.put(
        "/api/v1/me/privacy/marketing", {"consent": False}, content_type="application/json"
    )
    rows = list(ConsentRecord.objects.filter(user=user_client.user).order_by("id"))
    assert [(r.action, r.channel) for r in rows] == [("given", "api"), ("withdrawn", "api")]
    assert rows[0].source == "account (app: Kassa Android 1.0)"
    assert rows[1].source == "account (app: unnamed app)"
    assert user_client.get("/api/v1/me/privacy").json()["marketing"] is False


def test_a_blocked_subject_cannot_opt_in(user_client):
    make_blocked(staff=UserFactory(is_staff=True), user=user_client.user)
    response = user_client.put(
        "/api/v1/me/privacy/marketing", {"consent": True}, content_type="application/json"
    )
    assert (response.status_code, response.json()["error"]) == (409, "subject_blocked")
    assert user_client.get("/api/v1/me/privacy").json()["blocked"] is True


def test_export_gives_the_data_and_notes_the_access(user_client):
    response = user_client.post("/api/v1/me/privacy/export")
    assert response.status_code == 200
    assert "aigerim@example.kz" in json.dumps(response.json(), ensure_ascii=False)
    access = SubjectAccessRequest.objects.get(subject_user=user_client.user)
    assert access.channel == SubjectAccessRequest.Channel.ACCOUNT
    assert user_client.get("/api/v1/me/privacy/export").status_code == 405


def test_blocking_and_access_requests_reach_the_privacy_services(
    user_client, django_capture_on_commit_callbacks
):
    response = user_client.post(
        "/api/v1/me/privacy/blocking-requests",
        {"grounds": "unlawful_processing", "grounds_details": "Не давала согласия"},
        content_type="application/json",
    )
    assert response.status_code == 201
    blocking = BlockingRequest.objects.get(pk=response.json()["id"])
    assert blocking.channel == BlockingRequest.Channel.API
    assert blocking.subject_email == "aigerim@example.kz"
    assert blocking.requester_kind == BlockingRequest.RequesterKind.SUBJECT
    bad = user_client.post(
        "/api/v1/me/privacy/blocking-requests",
        {"grounds": "because"},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_request")
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(
            "/api/v1/me/privacy/access-requests",
            {"request_text": "Что вы храните?"},
            content_type="application/json",
        )
    assert response.status_code == 201
    access = SubjectAccessRequest.objects.get(pk=response.json()["id"])
    assert access.subject_email == "aigerim@example.kz"


def test_requests_are_rate_limited(user_client):
    statuses = [
        user_client.post(
            "/api/v1/me/privacy/access-requests", {}, content_type="application/json"
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]

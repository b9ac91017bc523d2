"""CORS of the public API: only the sites organizers registered (their widget's sites) may call
it from a browser; no credentials are ever allowed."""

import pytest

from organizers.models import Organizer
from organizers.services import organizer_set_widget_origins
from tests.factories import OrganizerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(db, django_capture_on_commit_callbacks):
    organizer = OrganizerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        organizer_set_widget_origins(
            organizer=organizer, origins=["https://tickets.example.kz", "https://*.partner.kz"]
        )
    return organizer


def _preflight(client, origin, path="/api/v1/events"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


@pytest.mark.parametrize("origin", ["https://tickets.example.kz", "https://shop.partner.kz"])
def test_a_registered_site_may_call_the_api(client, registered, origin):
    preflight = _preflight(client, origin, "/api/v1/me/checkout")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == origin
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert "X-Session-Token" in preflight["Access-Control-Allow-Headers"]
    assert "PATCH" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight
    response = client.get("/api/v1/events", HTTP_ORIGIN=origin)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == origin
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example.com",
        "http://tickets.example.kz",  # another scheme
        "https://tickets.example.kz:8443",  # another port
        "https://partner.kz",  # the wildcard is for subdomains only
        "https://notpartner.kz",
        "null",
    ],
)
def test_any_other_origin_gets_no_cors_headers(client, registered, origin):
    assert _preflight(client, origin).status_code == 403
    response = client.get("/api/v1/events", HTTP_ORIGIN=origin)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_a_rejected_organizers_sites_and_removed_sites_are_refused(
    client, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organizer_set_widget_origins(organizer=registered, origins=["https://new.example.kz"])
    assert _preflight(client, "https://tickets.example.kz").status_code == 403
    assert _preflight(client, "https://new.example.kz").status_code == 204
    Organizer.objects.filter(pk=registered.pk).update(status=Organizer.Status.REJECTED)
    from django.core.cache import cache

    cache.clear()
    assert _preflight(client, "https://new.example.kz").status_code == 403


def test_pages_of_the_site_get_no_cors_headers(client, registered):
    response = client.get("/", HTTP_ORIGIN="https://tickets.example.kz")
    assert "Access-Control-Allow-Origin" not in response

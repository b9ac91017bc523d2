import pytest
from django.db import OperationalError

from tests.cache_outage import cache_down  # noqa: F401 (fixture)


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_the_cache_ok(client):
    response = client.get("/healthz")
    assert response.json()["checks"]["cache"] == "ok"


@pytest.mark.django_db
@pytest.mark.usefixtures("cache_down")
def test_healthz_is_503_naming_the_cache_when_it_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["cache"] == "down"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_for_any_host_header(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_is_503_when_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.django_db
def test_healthz_is_503_when_configured_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "down"


@pytest.mark.django_db
def test_bench_endpoint_is_not_routed_by_default(client):
    assert client.get("/bench/trivial").status_code == 404

"""Account e-mail travels through Redis to a real Celery worker process."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.fixtures_services import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_password_reset_mail_is_delivered_by_the_worker(
    client, celery_worker_process, worker_mail_dir
):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    user = UserFactory(email="worker-check@example.kz")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302

    def delivered():
        return [p for p in worker_mail_dir.glob("*.log") if user.email in p.read_text()]

    files = wait_for(delivered, timeout=30)
    assert "/accounts/password/reset/key/" in files[0].read_text()


def test_healthz_sees_the_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_database_is_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"

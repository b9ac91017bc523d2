"""``/healthz``: are the database and the cache reachable, and the broker when one is configured.

Any of them down answers ``503`` and names it (``"checks": {"cache": "down"}``). The pages go
on without the cache (rendered uncached, rate limits fail open or answer 503 one by one), as
publishing goes on without the broker (the outbox), but the operator must hear of it.

Answered by a middleware placed first, before host validation and the HTTPS redirect, so that
container health checks can call ``http://127.0.0.1:8000/healthz`` whatever ``ALLOWED_HOSTS`` is.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from eventum.cache import CACHE_ERRORS
from eventum.celery import app as celery_app

HEALTH_KEY = "eventum:healthz"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _cache_ok() -> bool:
    """One round trip to the cache (a read: the probe leaves nothing behind)."""
    try:
        cache.get(HEALTH_KEY)
    except CACHE_ERRORS:
        return False
    return True


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        return True
    except Exception:
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if _database_ok() else "down",
        "cache": "ok" if _cache_ok() else "down",
    }
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_ok() else "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)

"""A database outage answers 503 with a page saying so, not a 500.

When PostgreSQL restarts (or is briefly unreachable) every request that touches it fails with
``OperationalError``/``InterfaceError``. The buyer gets a translated page with a ``Retry-After``
header; nothing half-done is kept, because every write is one transaction. Connections recover
by themselves (``CONN_HEALTH_CHECKS``): the first request after the database is back reconnects.

The page is rendered without the request's context processors, which would query the database
(the signed-in user, the cookie banner).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    html = render_to_string("503.html", {"retry_url": request.path})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database error raised by a view into the 503 page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable (%s): %s", request.path, exception)
        return database_unavailable_response(request)


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """``handler500``: a database error raised outside a view (in a middleware) is a 503 too."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable_response(request)
    return defaults.server_error(request, *args, **kwargs)

"""Notes every request in the IP log (time, IP, method, path, status, user agent, user).

Place it right after WhiteNoise: static files are not logged, and every response status from
the rest of the stack (CSRF failures, redirects, errors turned into 500 pages) is seen. It reads
the user only if something already loaded it, so it never adds a query to a request, and it
never writes to the database: rows go to a buffer (see ``privacy.services.iplog``).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from privacy.identity import request_client_ip
from privacy.services.iplog import iplog_buffer_push, iplog_row


def _loaded_user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is not None:
        return user.pk if user.is_authenticated else None
    session = getattr(request, "session", None)
    cache = getattr(session, "_session_cache", None)
    if isinstance(cache, dict) and cache.get(SESSION_KEY):
        try:
            return int(cache[SESSION_KEY])
        except (TypeError, ValueError):
            return None
    return None


class IpLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started_at = timezone.now()
        response = self.get_response(request)
        if settings.IP_LOG_ENABLED and not request.path.startswith(
            tuple(settings.IP_LOG_EXCLUDE_PATHS)
        ):
            iplog_buffer_push(
                iplog_row(
                    ip=request_client_ip(request),
                    method=request.method or "",
                    path=request.path,
                    status=response.status_code,
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    user_id=_loaded_user_id(request),
                    at=started_at,
                )
            )
        return response

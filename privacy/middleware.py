"""Privacy middleware: the IP log of every request, and the page that asks signed-in buyers
to accept a material change of the privacy policy."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import urlencode

from privacy.identity import request_client_ip
from privacy.services.iplog import iplog_buffer_push, iplog_row
from privacy.services.policy import policy_state
from privacy.services.reconsent import policy_reconsent_due


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
    """Notes every request in the IP log (time, IP, method, path, status, user agent, user).

    Place it right after WhiteNoise: static files are not logged, and every response status
    from the rest of the stack (CSRF failures, redirects, errors turned into 500 pages) is seen.
    It reads the user only if something already loaded it, so it never adds a query to a
    request, and it never writes to the database: rows go to a buffer (see
    ``privacy.services.iplog``).
    """

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


# Pages a buyer asked to accept a new policy can still open: the policy itself, the privacy
# pages (withdrawal, cookie settings, requests), signing in and out, the admin, the widget
# (it runs inside partners' pages) and the check-in scanner.
RECONSENT_EXEMPT_MODULES = ("privacy.", "allauth.", "django.contrib.admin.")
RECONSENT_EXEMPT_NAMESPACES = {"privacy", "admin", "widget"}
RECONSENT_SESSION_KEY = "privacy_reconsent_checked"


class PolicyReconsentMiddleware:
    """After a *material* policy version is published, a signed-in buyer whose consent was
    given under an earlier version is sent, on their next page view, to a page where they
    read what changed and accept it or refuse it (a withdrawal). It is a page with a way out,
    not a modal: the policy, the privacy pages and signing out stay open.

    Only HTML page views (GET) are redirected, never form posts, JSON or files. Once the
    question is settled for a material version the session remembers it, so later pages cost
    nothing but the cached policy state.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # Cheapest questions first: no session cookie means no one is signed in.
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
            or not _wants_html(request)
        ):
            return None
        module = getattr(view_func, "__module__", "") or ""
        match = request.resolver_match
        if module.startswith(RECONSENT_EXEMPT_MODULES) or (
            match is not None and RECONSENT_EXEMPT_NAMESPACES & set(match.namespaces)
        ):
            return None
        state = policy_state()
        if not state.has_material_change:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.session.get(RECONSENT_SESSION_KEY) == state.material_version:
            return None
        if policy_reconsent_due(user=user) is None:
            request.session[RECONSENT_SESSION_KEY] = state.material_version
            return None
        url = reverse("privacy:policy_accept")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def _wants_html(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept

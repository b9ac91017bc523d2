"""CORS for the public API: a page on a site an organizer registered (the widget's sites, in
the cabinet) may call ``/api/`` and allauth's app endpoints from the browser; any other
origin gets no CORS headers, so the browser keeps its answer from the page.

No credentials are allowed (no ``Access-Control-Allow-Credentials``): the browser sends no
cookies across origins, and the API needs none — apps send their token in a header."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from organizers.origins import origin_matches
from organizers.selectors import api_origins_registered
from privacy.identity import API_PATH_PREFIXES

ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Type, If-None-Match, "
    "X-App-Name, X-Session-Token"
)
EXPOSED_HEADERS = "ETag, Retry-After"
PREFLIGHT_MAX_AGE = "600"


def api_origin_allowed(origin: str) -> bool:
    origin = origin.strip().lower()
    if not origin or origin == "null":
        return False
    return any(origin_matches(origin, registered) for registered in api_origins_registered())


class ApiCorsMiddleware:
    """Answers preflights and marks the answers of the API's paths for registered origins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PATH_PREFIXES):
            return self.get_response(request)
        origin = request.headers.get("Origin", "")
        preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in (
            request.headers
        )
        allowed = bool(origin) and api_origin_allowed(origin)
        if preflight:
            if not allowed:
                response: HttpResponse = JsonResponse(
                    {
                        "error": "origin_not_allowed",
                        "message": _("This site may not call the API."),
                    },
                    status=403,
                )
                patch_vary_headers(response, ("Origin",))
                return response
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        else:
            response = self.get_response(request)
        if origin:
            patch_vary_headers(response, ("Origin",))
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

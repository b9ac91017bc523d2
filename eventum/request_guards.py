"""Requests refused before any view runs: input no page could mean.

A NUL character in the address, the query string or a posted form field is refused with 400.
PostgreSQL cannot store or even compare text containing NUL, so a lookup such as
``/orders/AB%00CD/`` or a scanner label typed with one would otherwise end in a server error
instead of a clear answer. (The check-in API checks its JSON body itself.)
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

# Only url-encoded forms: their body stays readable after parsing. A multipart body would be
# consumed here, and views that read the raw body (payment callbacks) could not verify it.
FORM_TYPES = ("application/x-www-form-urlencoded",)


def _nul_in(query) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()
    )


def _nul_in_form(request: HttpRequest) -> bool:
    # Django parses the form here instead of in the CSRF check a moment later; same result.
    # Multipart forms (with files) are left to the forms, whose text fields refuse NUL.
    return request.method == "POST" and request.content_type in FORM_TYPES and _nul_in(request.POST)


class NulCharacterGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _nul_in(request.GET):
            return _refused(_("Bad request: the address contains a NUL character."))
        if _nul_in_form(request):
            return _refused(_("Bad request: the form contains a NUL character."))
        return self.get_response(request)


def _refused(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

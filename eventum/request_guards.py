"""Requests refused before any view runs: input no page could mean.

A NUL character in the address or the query string is refused with 400. PostgreSQL cannot
store or even compare text containing NUL, so a lookup such as ``/orders/AB%00CD/`` would
otherwise end in a server error instead of a clear answer. (Forms already refuse NUL in posted
fields; the check-in API checks its JSON body itself.)
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class NulCharacterGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest(
                _("Bad request: the address contains a NUL character."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

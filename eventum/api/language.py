"""The API's language comes from ``Accept-Language`` alone (ru, kk, en; Russian otherwise).

The portal's pages carry the language in the URL (``/kk/...``, ``/en/...``) and a path with
no prefix is Russian, so ``LocaleMiddleware`` would answer every ``/api/`` call in Russian.
Apps send no cookies and no language prefix: the header decides."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from privacy.identity import API_PATH_PREFIXES


def api_language(request: HttpRequest) -> str:
    """The first supported language of ``Accept-Language``, else the default."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiLanguageMiddleware:
    """After ``LocaleMiddleware``: on the API's paths (``/api/``, allauth's ``/_allauth/app/``),
    activate the header's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PATH_PREFIXES):
            language = api_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

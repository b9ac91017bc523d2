"""A few seconds of server-side cache for the event page, for visitors without a session.

At an on-sale everyone opens the same event page at once. A visitor with no session cookie
is not signed in, holds no tickets and has no messages waiting, so the page is the same for
all such visitors of one language and cookie choice on one host, except for the CSRF token
of its forms. The page is stored with a placeholder where the tokens were and every response
gets the visitor's own token, so a cached page never hands one visitor's token to another.

For at most ``settings.PUBLIC_PAGE_CACHE_SECONDS`` (5 by default; 0 turns it off) the page
may show availability a little behind; the sale itself always checks the counter.
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from privacy.services.cookies import cookie_choice_read

CSRF_PLACEHOLDER = "__eventum_csrf_token__"
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Cookies that make a visitor's page their own: a session (cart, sign-in) or flash messages.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def _key(request: HttpRequest) -> str:
    choice = cookie_choice_read(request)
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or "",
        f"{choice.decided}:{choice.analytics}:{choice.marketing}",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _with_token(html: str, request: HttpRequest) -> HttpResponse:
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def anonymous_page_cache(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view_func``'s 200 pages from the cache to visitors without a session."""

    @wraps(view_func)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view_func(request, *args, **kwargs)
        key = _key(request)
        html = cache.get(key)
        if html is not None:
            return _with_token(html, request)
        response = view_func(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        html = _CSRF_VALUE.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode())
        cache.set(key, html, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return wrapped

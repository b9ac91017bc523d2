"""A few seconds of server-side cache for the event page, for visitors without a session.

At an on-sale everyone opens the same event page at once. A visitor with no session cookie
is not signed in, holds no tickets and has no messages waiting, so the page is the same for
all such visitors of one language and cookie choice on one host, except for the CSRF token
of its forms. The page is stored with a stand-in where the tokens were and every response
gets the visitor's own token (``eventum.kept_markup``), so a cached page never hands one
visitor's token to another.

For about ``settings.PUBLIC_PAGE_CACHE_SECONDS`` (5 by default; 0 turns it off) the page
may show availability a little behind; the sale itself always checks the counter. When that
time is up, one request renders the page again while the others are still served the copy
(a crowd arriving together does not render it a hundred times at once); the copy is never
served more than ``REFRESH_LOCK_SECONDS`` past its time, should that request fail. When the
cache cannot be reached, the page is rendered for each visitor (logged as a warning).
"""

import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from eventum.cache import CACHE_ERRORS
from eventum.kept_markup import token_taken_out, with_visitor_token
from privacy.services.cookies import cookie_choice_read

logger = logging.getLogger(__name__)

REFRESH_LOCK_SECONDS = 10
# Cookies that make a visitor's page their own: a session (cart, sign-in) or flash messages.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def page_key(request: HttpRequest) -> str:
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


def _cached_copy(key: str) -> str | None:
    """The stored page when it may be served: fresh, or stale while another request renders."""
    entry = cache.get(key)
    if entry is None:
        return None
    html, fresh_until = entry
    if time.time() < fresh_until or not cache.add(f"{key}:refresh", 1, REFRESH_LOCK_SECONDS):
        return html
    return None


def _store(key: str, response: HttpResponse) -> None:
    if response.status_code == 200 and not response.streaming:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        html = token_taken_out(response.content.decode())
        cache.set(key, (html, time.time() + seconds), seconds + REFRESH_LOCK_SECONDS)
        cache.delete(f"{key}:refresh")
    else:
        cache.delete_many([key, f"{key}:refresh"])


def _forget(key: str) -> None:
    try:
        cache.delete_many([key, f"{key}:refresh"])
    except CACHE_ERRORS:  # the copy expires by itself; the view's own error matters more
        logger.warning("Page cache unavailable: %s not removed", key)


def anonymous_page_cache(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view_func``'s 200 pages from the cache to visitors without a session.

    Without the cache (Redis down) every visitor gets the page rendered for them, as visitors
    with a session always do.
    """

    @wraps(view_func)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view_func(request, *args, **kwargs)
        key = page_key(request)
        try:
            html = _cached_copy(key)
        except CACHE_ERRORS as error:
            logger.warning("Page cache unavailable, %s rendered uncached (%s)", request.path, error)
            return view_func(request, *args, **kwargs)
        if html is not None:
            return HttpResponse(with_visitor_token(html, request))
        try:
            response = view_func(request, *args, **kwargs)
        except Exception:  # Http404 and the like: the page is gone, stop serving the copy
            _forget(key)
            raise
        try:
            _store(key, response)
        except CACHE_ERRORS as error:
            logger.warning("Page cache unavailable, %s not stored (%s)", request.path, error)
        return response

    return wrapped

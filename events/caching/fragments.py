"""The event page's shared parts, kept a few seconds for visitors with a session too.

A visitor with a session (a cart, a sign-in, flash messages) cannot be served the anonymous
visitors' page copy (``events.caching.pages``), yet most of the page is the same for them:
the event's facts and description, its sessions, ticket types, prices, availability, the hall
map, the structured data. Those parts are rendered once per language, host and address and
kept for ``settings.PUBLIC_PAGE_CACHE_SECONDS`` (the anonymous copy's window, so availability
is never older than there; 0 turns it off); the visitor's own parts are filled in on every
request: the CSRF token of the forms and, through the sales app's template tags, the
quantities the visitor's cart holds. The header (sign-in), messages, cookie banner and the
waiting room's gate stay outside the stored parts and are rendered for each visitor.

Visitors without a session are not served stored parts: their whole page is kept (the
anonymous copy), and a copy built from parts already a few seconds old would show
availability older than the window.

When the cache cannot be reached, the parts are rendered for each visitor.
"""

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation

from events.caching.pages import PERSONAL_COOKIES
from eventum.cache import CACHE_ERRORS
from eventum.kept_markup import stand_in_context, with_visitor_token

logger = logging.getLogger(__name__)

# Set in the context while the shared parts render: per-visitor template tags put a marker
# in place of the visitor's value (see ``tickets.templatetags.tickets_cart``).
SHARED_RENDER = "shared_render"

Parts = dict[str, str]


def parts_key(request: HttpRequest) -> str:
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or "",
    ]
    return "page-parts:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def shared_context() -> dict[str, object]:
    """What the shared parts render with in place of the visitor's own values."""
    return {**stand_in_context(), SHARED_RENDER: True}


def shared_parts(request: HttpRequest, render: Callable[[], Parts]) -> Parts:
    """``render()``'s parts, from the cache when stored in the last few seconds, with this
    visitor's CSRF token filled in. Exceptions of ``render`` (``Http404``) pass through."""
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if not any(name in request.COOKIES for name in PERSONAL_COOKIES):
        # the anonymous page copy is this visitor's cache: stored parts would age it further
        seconds = 0
    parts: Parts | None = None
    key = parts_key(request)
    if seconds > 0:
        try:
            parts = cache.get(key)
        except CACHE_ERRORS as error:
            logger.warning("Page cache unavailable, %s parts rendered (%s)", request.path, error)
            seconds = 0
    if parts is None:
        parts = render()
        if seconds > 0:
            try:
                cache.set(key, parts, seconds)
            except CACHE_ERRORS as error:
                logger.warning(
                    "Page cache unavailable, %s parts not stored (%s)", request.path, error
                )
    return {name: with_visitor_token(html, request) for name, html in parts.items()}

"""A cache outage that reaches a view answers 503 with ``Retry-After``, never a 500.

The project's own code goes on without the cache where it can (``events/page_cache.py``) and
each of its rate limits decides what to do (``eventum/ratelimit.py``). What is left is code
that counts in the cache and cannot be told otherwise: allauth's limits on failed logins,
sign-ups and password resets. Uncounted, they would let password guesses and reset mails
through at full speed, so while the cache is down those forms are refused with the same
translated page as a limit that fails closed; buying needs no account.
"""

import logging

from django.http import HttpRequest, HttpResponse

from eventum.cache import CACHE_ERRORS
from eventum.ratelimit import limit_unavailable

logger = logging.getLogger(__name__)


class CacheUnavailableMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CACHE_ERRORS):
            return None
        logger.warning("Cache unavailable (%s): answered 503 (%s)", request.path, exception)
        return limit_unavailable(request, request.path)

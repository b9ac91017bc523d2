"""Limits on how often one client may try something: checkout submissions, promo codes, seat
holds and the public privacy request forms.

A fixed window counted in Django's cache (Redis in production, so every web process shares the
count). Each attempt is counted under every key that applies — the client's IP (the same address
the IP log records), the cart, the e-mail addresses given in the form — and the attempt is
refused once any key is over its limit. Mobile carriers put many buyers behind one address, so
the per-IP limits of the sale are generous; the per-cart limits are the tight ones.

When the cache cannot be reached the attempt cannot be counted. Each limit says what happens
then (``Limit.fail_open``): the attempt goes on uncounted, with a warning in the log naming the
limit, or it is answered ``503`` with ``Retry-After`` (``limit_unavailable``).
"""

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eventum.cache import CACHE_ERRORS, ReusedClientRedisCache
from privacy.identity import request_client_ip

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

logger = logging.getLogger(__name__)

TOO_MANY_CHECKOUTS = _(
    "Too many attempts to place an order in a short time. Please wait a few minutes and try "
    "again; the tickets in your cart stay reserved until the timer runs out."
)
TOO_MANY_PROMO_CODES = _(
    "Too many promo codes tried in a short time. Please wait a few minutes before entering "
    "another one."
)
TOO_MANY_PRIVACY_REQUESTS = _(
    "Too many requests have been sent in a short time from your address or for this e-mail "
    "address. The requests already received will be answered; please try again later."
)
LIMIT_UNAVAILABLE = _(
    "This action is briefly unavailable. Nothing was saved. Please try again in a minute."
)
# A cache outage is usually a restart; the breaker in eventum/cache.py retries within seconds.
UNAVAILABLE_RETRY_AFTER_SECONDS = 30


@dataclass(frozen=True)
class Limit:
    """At most ``per_ip`` attempts from one address and ``per_cart`` on one cart a window of
    ``window_seconds``; at most ``per_email`` for one e-mail address a window of
    ``email_window_seconds``. A zero limit does not count that key."""

    scope: str
    per_ip: int
    window_seconds: int
    message: "_StrOrPromise"
    per_cart: int = 0
    per_email: int = 0
    email_window_seconds: int = 0
    # Without the cache: True lets the attempt through uncounted, False answers 503.
    fail_open: bool = True


# Fails open: refusing checkout while the cache is down would stop every sale, and the order
# service guards the tickets in the database (holds, counters); the limit only slows floods.
CHECKOUT = Limit("checkout", per_ip=60, per_cart=12, window_seconds=600, message=TOO_MANY_CHECKOUTS)
# Fails closed: uncounted, promo codes could be guessed at full speed for as long as the cache
# is down, and nobody needs a code to buy — checkout goes on at the full price meanwhile.
PROMO_CODE = Limit(
    "promo",
    per_ip=30,
    per_cart=8,
    window_seconds=600,
    message=TOO_MANY_PROMO_CODES,
    fail_open=False,
)

# The public privacy forms (blocking request, subject access request): each accepted one starts
# a deadline for staff, so one client may send only a few, and only a few may name one e-mail.
PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR = 5
PRIVACY_REQUESTS_PER_EMAIL_PER_DAY = 3
# Fails closed: uncounted, one client could again file requests by the hundred, each with a
# legal deadline; a data subject loses only a retry a minute later.
PRIVACY_REQUEST = Limit(
    "privacy-request",
    per_ip=PRIVACY_REQUESTS_PER_ADDRESS_PER_HOUR,
    window_seconds=3600,
    per_email=PRIVACY_REQUESTS_PER_EMAIL_PER_DAY,
    email_window_seconds=86400,
    message=TOO_MANY_PRIVACY_REQUESTS,
    fail_open=False,
)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one counted attempt; true when the attempt may go on."""

    allowed: bool
    retry_after: int = 0  # when refused: the longest window of the keys over their limit
    counted: bool = True  # False: the cache was down and nothing could be counted

    def __bool__(self) -> bool:
        return self.allowed


def _now() -> float:
    return time.time()


def _window_key(scope: str, kind: str, value: str, window_seconds: int) -> str:
    window = int(_now() // window_seconds)
    digest = hashlib.sha256(f"{scope}:{kind}:{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{kind}:{digest}:{window}"


def _count(key: str, timeout: int) -> int:
    """One more attempt under ``key``: the window's count so far. Most attempts find the key
    (an increment); the first of a window makes it (one more round trip, not two)."""
    try:
        return cache.incr(key)
    except ValueError:  # the first attempt of the window (or the window just ended)
        pass
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:  # another attempt made the key meanwhile
        return cache.incr(key)
    except ValueError:  # and its window ended at once
        cache.set(key, 1, timeout=timeout)
        return 1


def _windows_count(keys: list[tuple[str, int]]) -> list[int]:
    """One more attempt under each window's key ``(key, window seconds)``: the counts so
    far; on Redis in one round trip (``counts_add``), elsewhere one by one."""
    backend = caches["default"]
    timed = [(key, window + 1) for key, window in keys]
    if isinstance(backend, ReusedClientRedisCache):
        return backend.counts_add(timed)
    return [_count(key, timeout=timeout) for key, timeout in timed]


def window_count(scope: str, kind: str, value: str, window_seconds: int) -> int:
    """Count one more attempt of ``value`` in the current fixed window; returns the count so
    far. The one counter of every limit (cache errors propagate: the caller decides whether
    to fail open)."""
    return _windows_count([(_window_key(scope, kind, value, window_seconds), window_seconds)])[0]


def email_key(address: str) -> str:
    """One key for the ways of writing one mailbox: case and a ``+tag`` do not make another."""
    local, at, domain = address.strip().casefold().rpartition("@")
    if not at or not local or not domain:
        return ""
    return f"{local.split('+', 1)[0] or local}@{domain}"


def attempt_allowed(
    limit: Limit,
    *,
    client_ip: str,
    cart_token: str | None = None,
    emails: Iterable[str] = (),
) -> Verdict:
    """Count one attempt under every key of ``limit`` that applies; refused when any is over.

    Without the cache the attempt is not counted: it is allowed when ``limit.fail_open``
    (logged as a warning), refused otherwise (``Verdict.counted`` is then false).
    """
    checks = [("ip", client_ip, limit.per_ip, limit.window_seconds)]
    if cart_token and limit.per_cart:
        checks.append(("cart", cart_token, limit.per_cart, limit.window_seconds))
    if limit.per_email:
        email_window = limit.email_window_seconds or limit.window_seconds
        for address in sorted({email_key(address) for address in emails} - {""}):
            checks.append(("email", address, limit.per_email, email_window))
    retry_after = 0
    try:
        counts = _windows_count(
            [
                (_window_key(limit.scope, kind, value, window), window)
                for kind, value, _, window in checks
            ]
        )
        for (_kind, _value, most, window), count in zip(checks, counts, strict=True):
            if count > most:
                retry_after = max(retry_after, window)
    except CACHE_ERRORS as error:
        outcome = "allowed uncounted" if limit.fail_open else "refused"
        logger.warning(
            "Rate limit %s: cache unavailable, attempt %s (%s)", limit.scope, outcome, error
        )
        return Verdict(allowed=limit.fail_open, counted=False)
    return Verdict(allowed=retry_after == 0, retry_after=retry_after)


def too_many_requests(
    request: HttpRequest,
    limit: Limit,
    back_url: str = "",
    *,
    back_label: "_StrOrPromise" = "",
    retry_after: int = 0,
) -> HttpResponse:
    """The translated 429 page, with ``Retry-After`` (by default the length of the window)."""
    context = {"message": limit.message, "back_url": back_url, "back_label": back_label}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after or limit.window_seconds)
    return response


def limit_unavailable(
    request: HttpRequest, back_url: str = "", *, back_label: "_StrOrPromise" = ""
) -> HttpResponse:
    """The translated 503 page of a limit that cannot count while the cache is down."""
    context = {"message": LIMIT_UNAVAILABLE, "back_url": back_url, "back_label": back_label}
    response = render(request, "limit_unavailable.html", context, status=503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(
    limit: Limit,
    *,
    cart_token: Callable[..., str | None] | None = None,
    emails: Callable[..., Iterable[str]] | None = None,
    refused: Callable[..., HttpResponse] | None = None,
    back_to: str = "",
    back_label: "_StrOrPromise" = "",
    methods: tuple[str, ...] = ("POST",),
):
    """Decorate a view so that its ``methods`` requests count against ``limit``.

    ``cart_token(request, *args, **kwargs)`` names the cart and ``emails(request, *args,
    **kwargs)`` the e-mail addresses given; ``refused(request, limit, *args, **kwargs)`` builds
    the answer past the limit (by default the 429 page, linking to the URL named ``back_to``
    with ``back_label``, "Back to checkout" unless given). A limit that fails closed answers
    the 503 page (linking there too) while the cache is down.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                return view(request, *args, **kwargs)
            verdict = attempt_allowed(
                limit,
                client_ip=request_client_ip(request),
                cart_token=cart_token(request, *args, **kwargs) if cart_token else None,
                emails=emails(request, *args, **kwargs) if emails else (),
            )
            if verdict:
                return view(request, *args, **kwargs)
            back_url = reverse(back_to) if back_to else ""
            if not verdict.counted:
                return limit_unavailable(request, back_url, back_label=back_label)
            if refused is not None:
                return refused(request, limit, *args, **kwargs)
            return too_many_requests(
                request, limit, back_url, back_label=back_label, retry_after=verdict.retry_after
            )

        return wrapped

    return decorate

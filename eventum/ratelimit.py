"""Limits on how often one client may try something: checkout submissions and promo codes.

A fixed window counted in Django's cache (Redis in production, so every web process shares the
count). Each attempt is counted under every key that applies — the client's IP (the same address
the IP log records) and the cart — and the attempt is refused once any key is over its limit.
Mobile carriers put many buyers behind one address, so the per-IP limits are generous; the
per-cart limits are the tight ones.
"""

import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from privacy.identity import request_client_ip

TOO_MANY_CHECKOUTS = _(
    "Too many attempts to place an order in a short time. Please wait a few minutes and try "
    "again; the tickets in your cart stay reserved until the timer runs out."
)
TOO_MANY_PROMO_CODES = _(
    "Too many promo codes tried in a short time. Please wait a few minutes before entering "
    "another one."
)


@dataclass(frozen=True)
class Limit:
    """At most ``per_ip`` attempts from one address and ``per_cart`` on one cart a window."""

    scope: str
    per_ip: int
    per_cart: int
    window_seconds: int
    message: str


CHECKOUT = Limit("checkout", per_ip=60, per_cart=12, window_seconds=600, message=TOO_MANY_CHECKOUTS)
PROMO_CODE = Limit("promo", per_ip=30, per_cart=8, window_seconds=600, message=TOO_MANY_PROMO_CODES)


def _now() -> float:
    return time.time()


def _window_key(scope: str, kind: str, value: str, window_seconds: int) -> str:
    window = int(_now() // window_seconds)
    digest = hashlib.sha256(f"{scope}:{kind}:{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{kind}:{digest}:{window}"


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def attempt_allowed(limit: Limit, *, client_ip: str, cart_token: str | None) -> bool:
    """Count one attempt; ``False`` when the address or the cart is over ``limit``."""
    checks = [("ip", client_ip, limit.per_ip)]
    if cart_token:
        checks.append(("cart", cart_token, limit.per_cart))
    allowed = True
    for kind, value, most in checks:
        key = _window_key(limit.scope, kind, value, limit.window_seconds)
        if _count(key, timeout=limit.window_seconds + 1) > most:
            allowed = False
    return allowed


def too_many_requests(request: HttpRequest, limit: Limit, back_url: str = "") -> HttpResponse:
    """The translated 429 page, with ``Retry-After`` set to the length of the window."""
    response = render(
        request, "429.html", {"message": limit.message, "back_url": back_url}, status=429
    )
    response["Retry-After"] = str(limit.window_seconds)
    return response


def rate_limited(
    limit: Limit,
    *,
    cart_token: Callable[..., str | None],
    refused: Callable[..., HttpResponse] | None = None,
    back_to: str = "",
    methods: tuple[str, ...] = ("POST",),
):
    """Decorate a view so that its ``methods`` requests count against ``limit``.

    ``cart_token(request, *args, **kwargs)`` names the cart; ``refused(request, limit, *args,
    **kwargs)`` builds the answer past the limit (by default the 429 page, linking to the URL
    named ``back_to``).
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods and not attempt_allowed(
                limit,
                client_ip=request_client_ip(request),
                cart_token=cart_token(request, *args, **kwargs),
            ):
                if refused is not None:
                    return refused(request, limit, *args, **kwargs)
                return too_many_requests(request, limit, reverse(back_to) if back_to else "")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate

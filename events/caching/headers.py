"""HTTP caching of public pages.

Anonymous visitors get ``Cache-Control: public, max-age=60`` with ``Vary: Cookie,
Accept-Language``: the page is the same for everyone without a session, and a cache keyed on
the cookie never hands one visitor's CSRF token to another. Signed-in users see per-user bits
(their name, their CSRF token), so their pages are ``private, no-cache``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_MAX_AGE = 60


def public_cache(
    view: Callable[..., HttpResponse] | None = None, *, max_age: int = PUBLIC_MAX_AGE
) -> Any:
    def decorator(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view_func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view_func(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD") or response.status_code != 200:
                return response
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True, max_age=0)
            else:
                patch_cache_control(response, public=True, max_age=max_age)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            return response

        return wrapped

    return decorator(view) if view is not None else decorator

"""ETags on public reads: a client (or a proxy) that sends ``If-None-Match`` with the tag it
has gets ``304 Not Modified`` and no body. The tag is a hash of the body, so it changes with
any change of the data and differs per language (``Vary: Accept-Language``)."""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

PUBLIC_MAX_AGE = 60


def etag_cached(
    view: Callable[..., HttpResponse] | None = None, *, max_age: int = PUBLIC_MAX_AGE
) -> Any:
    """Decorate a Django view (``ninja.decorators.decorate_view``) of a public read."""

    def decorator(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view_func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view_func(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD") or response.status_code != 200:
                return response
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            if max_age:
                patch_cache_control(response, public=True, max_age=max_age)
            else:
                patch_cache_control(response, no_cache=True)
            patch_vary_headers(response, ("Accept-Language",))
            conditional = get_conditional_response(request, etag=etag, response=response)
            return conditional if conditional is not None else response

        return wrapped

    return decorator(view) if view is not None else decorator

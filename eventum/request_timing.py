"""How long a request has taken, counted from when the front proxy received it.

Behind nginx a request can wait for a free web worker before Django sees it, and on a busy
server that wait is most of what the visitor feels. nginx stamps each request it forwards with
the time it received it (``X-Request-Start: t=<epoch seconds>``, ``deploy/nginx.conf``), and
``REQUEST_START_HEADER`` names the header Django believes. Set it only where the proxy always
overwrites that header: otherwise a client could claim any start it likes. Without it, or
with a stamp that cannot be right, the view's own start is all that is known.
"""

import time

from django.conf import settings
from django.http import HttpRequest

# A stamp claiming a longer wait is not believed (a clock step, a mangled header).
LONGEST_WAIT_SECONDS = 120.0


def request_elapsed_ms(request: HttpRequest, view_started: float) -> float:
    """Milliseconds since the proxy received the request, or since ``view_started``
    (``time.perf_counter()`` at the view's start) when no believable stamp came with it."""
    own = (time.perf_counter() - view_started) * 1000
    header = settings.REQUEST_START_HEADER
    raw = request.headers.get(header, "") if header else ""
    try:
        stamped = float(raw.strip().removeprefix("t="))
    except ValueError:
        return own
    waited = (time.time() - stamped) * 1000
    # before the view began, and not absurdly long ago (a proxy's clock a little ahead of
    # this one shows as a wait shorter than the view's own: the view's figure then holds)
    if own <= waited <= LONGEST_WAIT_SECONDS * 1000:
        return waited
    return own

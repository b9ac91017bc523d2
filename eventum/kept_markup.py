"""Markup rendered once and given to many visitors, with each visitor's CSRF token filled in.

The event page's copy for visitors without a session, its shared parts for those with one
(``events.caching``), and the cookie banner of every page (``privacy.templatetags``) are kept
and served again. Their forms need the token of the visitor who gets them, so what is kept
carries ``CSRF_STAND_IN`` in its place, and ``with_visitor_token`` puts the visitor's own in on
every response. One stand-in serves all of them: markup kept inside other kept markup (the
banner inside the page copy) is filled with the same visitor's token in one pass.
"""

import re

from django.http import HttpRequest
from django.middleware.csrf import get_token

CSRF_STAND_IN = "__eventum_csrf_token__"  # letters and underscores: nothing to escape
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def stand_in_context() -> dict[str, str]:
    """Render with this in the context: ``{% csrf_token %}`` writes the stand-in."""
    return {"csrf_token": CSRF_STAND_IN}


def token_taken_out(html: str) -> str:
    """Markup rendered for one visitor, their token in each form replaced by the stand-in."""
    return _TOKEN_FIELD.sub(rf"\g<1>{CSRF_STAND_IN}\g<2>", html)


def with_visitor_token(html: str, request: HttpRequest | None) -> str:
    """Kept markup with the visitor's token in place of the stand-in (asked only if needed)."""
    if CSRF_STAND_IN not in html:
        return html
    return html.replace(CSRF_STAND_IN, get_token(request) if request is not None else "")

"""Template context for every page: the visitor's cookie choice (cached policy state only)."""

from django.http import HttpRequest

from privacy.services.cookies import cookie_choice_read


def cookie_consent(request: HttpRequest) -> dict:
    """``cookie_consent.decided`` / ``.analytics`` / ``.marketing`` for the banner and gates."""
    return {"cookie_consent": cookie_choice_read(request)}

"""Who calls: a buyer signed in through allauth's app endpoints (``X-Session-Token``), or a
signed-in browser session (then unsafe methods need the CSRF token, as on the site's forms)."""

from typing import Any

from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from eventum.api.errors import ApiError
from organizers.models import ApiKey
from organizers.services import api_key_for_secret


class AppSessionToken(APIKeyHeader):
    """The app session token of ``/_allauth/app/v1/`` in ``X-Session-Token``; the account
    becomes ``request.user``."""

    param_name = "X-Session-Token"
    openapi_description = "The session token from allauth's app endpoints (/_allauth/app/v1/)."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        found = authenticate_by_x_session_token(key) if key else None
        if found is None or not found[0].is_active:
            return None
        request.user = found[0]
        return found[0]


# The site's own session cookie (a page script calling the API) comes second; ninja checks
# the CSRF token for it.
buyer_auth = [AppSessionToken(), SessionAuth()]


def signed_in_user(request: HttpRequest) -> User:
    """The account of an endpoint behind ``buyer_auth`` (ninja has refused everyone else)."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the auth classes guarantee it
        raise AuthenticationError()
    return user


class OrganizerKey(HttpBearer):
    """An organizer's API key (``Authorization: Bearer evk_...``), made in the cabinet."""

    openapi_description = "An organizer's API key, made in the cabinet (API keys)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return api_key_for_secret(token.strip())


organizer_auth = OrganizerKey()


def key_with_scope(request: HttpRequest, scope: str) -> ApiKey:
    """The calling key, refused (403 ``insufficient_scope``) without ``scope``."""
    key = getattr(request, "auth", None)
    if not isinstance(key, ApiKey):  # pragma: no cover - organizer_auth guarantees it
        raise AuthenticationError()
    if not key.has_scope(scope):
        raise ApiError(
            "insufficient_scope",
            _("This key may not do this: it needs the scope “%(scope)s”.") % {"scope": scope},
            status=403,
        )
    return key

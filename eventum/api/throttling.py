"""Rate limits of the API, counted in the shared cache: per client address for anonymous
calls and per account (or key) for signed-in ones. Past the limit: ``429`` with
``Retry-After``. The client's address is the one every other limit of the portal uses
(``privacy.identity.request_client_ip``), so ``X-Forwarded-For`` cannot be forged past it."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, BaseThrottle

from privacy.identity import request_client_ip


class ClientAddressThrottle(AnonRateThrottle):
    """Anonymous calls, per client address."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return request_client_ip(request)


class AccountThrottle(AuthRateThrottle):
    """Authenticated calls, per account or key (ninja keys it by the authenticated identity)."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return request_client_ip(request)


def api_throttles() -> list[BaseThrottle]:
    return [
        ClientAddressThrottle(settings.API_RATE_ANONYMOUS),
        AccountThrottle(settings.API_RATE_AUTHENTICATED),
    ]

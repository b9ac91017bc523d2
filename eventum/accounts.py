"""Who is asking: the account types that views hand to services and selectors.

The project keeps Django's own ``auth.User`` (no custom ``AUTH_USER_MODEL``), so services name it
directly. ``request.user`` is a ``Visitor`` until sign-in is checked; a view behind
``login_required`` annotates its request as ``AuthenticatedHttpRequest``, whose ``user`` is an
account, never the anonymous one.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

# request.user as middleware sets it: an account, or the anonymous visitor.
Visitor = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view that only signed-in users reach (``login_required``)."""

    user: User

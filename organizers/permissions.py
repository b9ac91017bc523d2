"""The cabinet's permission layer: who may open which organizer's pages.

Every cabinet URL carries the organizer's slug (``/cabinet/<organizer_slug>/...``). The
decorator (function views) or the mixin (class-based views) resolves the organizer from it,
checks the signed-in user's membership and role, and puts both on the request:

    from organizers.permissions import ROLES_ORDERS, organizer_role_required

    @organizer_role_required(*ROLES_ORDERS)
    def order_list(request, organizer_slug):
        orders = Order.objects.filter(event__organizer=request.organizer)
        ...

* anonymous user                           -> redirect to the login page (``?next=``);
* not a member of that organizer (or none) -> 404: a stranger learns nothing, not even that
  the organizer exists;
* member whose role is not in ``roles``    -> 403 with a translated message;
* otherwise the view runs with ``request.organizer`` (``Organizer``) and
  ``request.membership`` (``Membership``) set. The view's kwargs are passed unchanged.

Objects reached through the URL must then be looked up *through* ``request.organizer``
(``organizer_object_or_404``), so a member of one organizer gets 404 for another's objects.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from eventum.accounts import AuthenticatedHttpRequest
from organizers.models import Membership, Organizer
from organizers.roles import (
    ACCOUNTANT,
    CHECKIN,
    MANAGER,
    OWNER,
    ROLES_ANY,
    ROLES_CHECKIN,
    ROLES_EVENTS,
    ROLES_ORDERS,
    ROLES_PROFILE,
    ROLES_REPORTS,
    ROLES_TEAM,
)
from organizers.selectors import membership_by_slug

__all__ = [
    "ACCOUNTANT",
    "CHECKIN",
    "MANAGER",
    "OWNER",
    "ROLES_ANY",
    "ROLES_CHECKIN",
    "ROLES_EVENTS",
    "ROLES_ORDERS",
    "ROLES_PROFILE",
    "ROLES_REPORTS",
    "ROLES_TEAM",
    "OrganizerRequest",
    "OrganizerRoleRequiredMixin",
    "organizer_membership_or_404",
    "organizer_object_or_404",
    "organizer_role_required",
]

DEFAULT_URL_KWARG = "organizer_slug"
M = TypeVar("M", bound=Model)


class OrganizerRequest(AuthenticatedHttpRequest):
    """The request of a cabinet view behind ``organizer_role_required``."""

    organizer: Organizer
    membership: Membership


def organizer_membership_or_404(
    request: HttpRequest, organizer_slug: str, roles: tuple[str, ...] = ROLES_ANY
) -> Membership:
    """The signed-in user's membership of the organizer ``organizer_slug``.

    Raises ``Http404`` when there is no such organizer or the user is not in its team, and
    ``PermissionDenied`` when the user's role is not one of ``roles``. Sets
    ``request.organizer`` and ``request.membership``.
    """
    membership = membership_by_slug(user=request.user, organizer_slug=organizer_slug)
    if membership is None:
        raise Http404(_("No such organizer in your cabinet."))
    if membership.role not in roles:
        raise PermissionDenied(_("Your role in this team does not give access to this page."))
    cabinet = cast(OrganizerRequest, request)
    cabinet.organizer = membership.organizer
    cabinet.membership = membership
    return membership


def organizer_role_required(
    *roles: str, url_kwarg: str = DEFAULT_URL_KWARG
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator for cabinet function views; ``roles`` defaults to every role (``ROLES_ANY``)."""
    allowed = tuple(roles) or ROLES_ANY
    unknown = set(allowed) - set(ROLES_ANY)
    if unknown:
        raise ValueError(f"Unknown organizer roles: {sorted(unknown)}")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            organizer_membership_or_404(request, kwargs[url_kwarg], allowed)
            return view(request, *args, **kwargs)

        wrapped.organizer_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


class OrganizerRoleRequiredMixin:
    """The same check for class-based views: set ``organizer_roles`` (default: every role)."""

    organizer_roles: tuple[str, ...] = ROLES_ANY
    organizer_url_kwarg: str = DEFAULT_URL_KWARG

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = organizer_membership_or_404(
            request, kwargs[self.organizer_url_kwarg], tuple(self.organizer_roles)
        )
        self.organizer = membership.organizer
        self.membership = membership
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def organizer_object_or_404(
    queryset: QuerySet[M] | type[M],
    *,
    organizer: Organizer,
    organizer_field: str = "organizer",
    **lookup: Any,
) -> M:
    """``get_object_or_404`` restricted to one organizer's objects.

    ``organizer_field`` is the path from the model to its organizer, e.g. ``"organizer"`` for
    an event, ``"session__event__organizer"`` for a ticket type or
    ``"ticket_type__session__event__organizer"`` further down. Someone else's object is a 404.
    """
    queryset = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return get_object_or_404(queryset.filter(**{organizer_field: organizer}), **lookup)

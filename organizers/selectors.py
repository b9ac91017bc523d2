"""Reads about organizers and their teams, shared by the cabinet views and other apps."""

from contextlib import suppress

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import QuerySet

from eventum.accounts import Visitor
from eventum.cache import CACHE_ERRORS
from organizers.models import ApiKey, Invitation, Membership, Organizer


def membership_by_slug(*, user: Visitor | None, organizer_slug: str) -> Membership | None:
    """The user's membership in the team of the organizer ``organizer_slug``, with the
    organizer, in one query (every cabinet request asks it); ``None`` for no such organizer, a
    stranger or an anonymous visitor."""
    if user is None or not user.is_authenticated:
        return None
    # one row at most (a member once per team): no ORDER BY for ``first()`` to build
    rows = Membership.objects.select_related("organizer").filter(
        user_id=user.pk, organizer__slug=organizer_slug
    )
    return next(iter(rows.order_by()[:1]), None)


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """Every team the user belongs to, with the organizer, by organizer name."""
    return (
        Membership.objects.filter(user_id=user.pk)
        .select_related("organizer")
        .order_by("organizer__public_name", "organizer_id")
    )


def organizer_team(*, organizer: Organizer) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organizer=organizer)
        .select_related("user")
        .order_by("created_at", "id")
    )


def invitations_open(*, organizer: Organizer) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organizer=organizer, accepted_at__isnull=True).order_by(
        "-created_at"
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("organizer").filter(token=token).first()


def api_keys_of(*, organizer: Organizer) -> QuerySet[ApiKey]:
    """The organizer's API keys, newest first (revoked ones too: the page shows when)."""
    return ApiKey.objects.filter(organizer=organizer).select_related("created_by")


API_ORIGINS_CACHE_KEY = "organizers:api-origins"
API_ORIGINS_CACHE_SECONDS = 300


def api_origins_registered() -> list[str]:
    """Every origin an organizer (not rejected) registered for its widget: the sites whose
    pages may call the public API from the browser (CORS). Cached for a few minutes; changed
    origins drop the cache (``organizer_set_widget_origins``)."""
    try:
        cached = cache.get(API_ORIGINS_CACHE_KEY)
    except CACHE_ERRORS:
        cached = None
    if cached is not None:
        return list(cached)
    origins = sorted(
        {
            origin
            for organizer in Organizer.objects.exclude(status=Organizer.Status.REJECTED)
            .exclude(widget_origins="")
            .only("widget_origins")
            for origin in organizer.widget_origin_list
        }
    )
    with suppress(*CACHE_ERRORS):
        cache.set(API_ORIGINS_CACHE_KEY, origins, API_ORIGINS_CACHE_SECONDS)
    return origins

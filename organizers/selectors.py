"""Reads about organizers and their teams, shared by the cabinet views and other apps."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from eventum.accounts import Visitor
from organizers.models import Invitation, Membership, Organizer


def membership_for(*, user: Visitor | None, organizer: Organizer | int) -> Membership | None:
    """The user's membership in the organizer's team, or ``None`` (anonymous or not a member).

    ``organizer`` may be an ``Organizer`` or its primary key. The returned membership has its
    ``organizer`` loaded, so ``membership.organizer`` costs no further query.
    """
    if user is None or not user.is_authenticated:
        return None
    organizer_id = organizer.pk if isinstance(organizer, Organizer) else organizer
    membership = (
        Membership.objects.select_related("organizer")
        .filter(user_id=user.pk, organizer_id=organizer_id)
        .first()
    )
    return membership


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


def organizer_public(*, slug: str) -> Organizer | None:
    """An organizer as buyers see it (any status: their past events stay visible)."""
    return Organizer.objects.filter(slug=slug).first()

"""Writes of the organizers app: legal profiles, staff review and the team."""

import hashlib
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from eventum.accounts import Visitor
from eventum.cache import CACHE_ERRORS
from eventum.mail import email_enqueue
from organizers.models import ApiKey, Invitation, Membership, Organizer
from organizers.origins import origins_parse
from organizers.roles import OWNER
from organizers.selectors import API_ORIGINS_CACHE_KEY
from organizers.slugs import unique_slug

# Paths under /cabinet/ that an organizer slug must not take.
RESERVED_SLUGS = frozenset({"new", "invitations", "events", "admin", "static", "media"})
# Changing one of these sends a verified organizer back to review: payouts depend on them.
REVIEWED_FIELDS = ("kind", "legal_name", "bin_iin", "iban", "bik", "bank_name")


class OrganizerError(Exception):
    """A cabinet action that the rules do not allow; the message is shown to the user."""


class RejectionNeedsReason(OrganizerError):
    pass


class LastOwner(OrganizerError):
    pass


class InvitationNotOpen(OrganizerError):
    pass


class InvitationEmailMismatch(OrganizerError):
    pass


def _send(
    *, subject_template: str, body_template: str, to: list[str], context: dict[str, Any]
) -> None:
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    email_enqueue(EmailMultiAlternatives(subject=subject, body=body, to=to))


@transaction.atomic
def organizer_create(*, user: User, data: dict[str, Any]) -> Organizer:
    """A new organizer, pending review, with ``user`` as its owner; staff are told."""
    organizer = Organizer(**data)
    organizer.slug = unique_slug(
        Organizer, data["public_name"], fallback="organizer", reserved=RESERVED_SLUGS
    )
    organizer.status = Organizer.Status.PENDING
    organizer.save()
    Membership.objects.create(organizer=organizer, user=user, role=OWNER)
    if settings.STAFF_NOTIFICATION_EMAILS:
        _send(
            subject_template="organizers/email/review_requested_subject.txt",
            body_template="organizers/email/review_requested.txt",
            to=list(settings.STAFF_NOTIFICATION_EMAILS),
            context={
                "organizer": organizer,
                "admin_path": reverse("admin:organizers_organizer_change", args=[organizer.pk]),
            },
        )
    return organizer


@transaction.atomic
def organizer_update_profile(
    *, organizer: Organizer, data: dict[str, Any], changed_fields: list[str]
) -> Organizer:
    """Save the profile; a change to the reviewed legal details sends it back to review."""
    for name, value in data.items():
        setattr(organizer, name, value)
    if organizer.status != Organizer.Status.PENDING and set(changed_fields) & set(REVIEWED_FIELDS):
        organizer.status = Organizer.Status.PENDING
        organizer.reviewed_at = None
        organizer.reviewed_by = None
    organizer.save()
    return organizer


def _owner_emails(organizer: Organizer) -> list[str]:
    owners = organizer.memberships.filter(role=OWNER).select_related("user")
    return sorted({organizer.email, *(m.user.email for m in owners if m.user.email)})


@transaction.atomic
def organizer_verify(*, organizer: Organizer, reviewer: Visitor | None) -> Organizer:
    """Staff confirm the legal profile: the organizer may now publish paid events."""
    organizer = Organizer.objects.select_for_update().get(pk=organizer.pk)
    organizer.status = Organizer.Status.VERIFIED
    organizer.rejection_reason = ""
    organizer.reviewed_at = timezone.now()
    organizer.reviewed_by = reviewer if isinstance(reviewer, User) else None
    organizer.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by"])
    with translation.override(organizer.language or settings.LANGUAGE_CODE):
        _send(
            subject_template="organizers/email/verified_subject.txt",
            body_template="organizers/email/verified.txt",
            to=_owner_emails(organizer),
            context={"organizer": organizer},
        )
    return organizer


@transaction.atomic
def organizer_reject(*, organizer: Organizer, reviewer: Visitor | None, reason: str) -> Organizer:
    """Staff refuse the legal profile with a reason the organizer reads in the e-mail."""
    reason = (reason or "").strip()
    if not reason:
        raise RejectionNeedsReason(
            translation.gettext("Give the organizer a reason for the rejection.")
        )
    organizer = Organizer.objects.select_for_update().get(pk=organizer.pk)
    organizer.status = Organizer.Status.REJECTED
    organizer.rejection_reason = reason
    organizer.reviewed_at = timezone.now()
    organizer.reviewed_by = reviewer if isinstance(reviewer, User) else None
    organizer.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by"])
    with translation.override(organizer.language or settings.LANGUAGE_CODE):
        _send(
            subject_template="organizers/email/rejected_subject.txt",
            body_template="organizers/email/rejected.txt",
            to=_owner_emails(organizer),
            context={"organizer": organizer, "reason": reason},
        )
    return organizer


@transaction.atomic
def invitation_create(
    *,
    organizer: Organizer,
    email: str,
    role: str,
    invited_by: User,
    base_url: str,
) -> Invitation:
    """Invite ``email`` to the team (replacing an open invitation to the same address)."""
    email = email.strip().lower()
    Invitation.objects.filter(
        organizer=organizer, email__iexact=email, accepted_at__isnull=True
    ).delete()
    invitation = Invitation.objects.create(
        organizer=organizer, email=email, role=role, invited_by=invited_by
    )
    accept_path = reverse("organizers:invitation_accept", kwargs={"token": invitation.token})
    _send(
        subject_template="organizers/email/invitation_subject.txt",
        body_template="organizers/email/invitation.txt",
        to=[email],
        context={
            "invitation": invitation,
            "organizer": organizer,
            "accept_url": base_url.rstrip("/") + accept_path,
        },
    )
    return invitation


def _user_emails(user: User) -> set[str]:
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {e.lower() for e in verified}


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person joins the team; only an account with the invited e-mail, verified."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationNotOpen(translation.gettext("This invitation is no longer valid."))
    if invitation.email.lower() not in _user_emails(user):
        raise InvitationEmailMismatch(
            translation.gettext(
                "This invitation was sent to %(email)s. Sign in with that e-mail address "
                "(verified) to accept it."
            )
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        organizer_id=invitation.organizer_id, user=user, defaults={"role": invitation.role}
    )
    if not created and membership.role != OWNER:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.delete()


def _ensure_another_owner(membership: Membership) -> None:
    if membership.role != OWNER:
        return
    owners = (
        Membership.objects.select_for_update()
        .filter(organizer_id=membership.organizer_id, role=OWNER)
        .exclude(pk=membership.pk)
    )
    if not owners.exists():
        raise LastOwner(
            translation.gettext("A team needs at least one owner: appoint another owner first.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Give a team member another role; the last owner cannot stop being one."""
    if role != OWNER:
        _ensure_another_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a member out of the team; the last owner cannot be removed."""
    _ensure_another_owner(membership)
    membership.delete()


@transaction.atomic
def organizer_set_widget_origins(*, organizer: Organizer, origins: list[str]) -> Organizer:
    """Register the sites that may frame the ticket widget (normalised origins, one a line)."""
    locked = Organizer.objects.select_for_update().get(pk=organizer.pk)
    locked.widget_origins = "\n".join(origins_parse("\n".join(origins)))
    locked.save(update_fields=["widget_origins", "updated_at"])
    transaction.on_commit(_api_origins_forget)
    return locked


def _api_origins_forget() -> None:
    """The API's CORS answers read the new origins at once (``api_origins_registered``)."""
    with suppress(*CACHE_ERRORS):
        cache.delete(API_ORIGINS_CACHE_KEY)


# API keys -------------------------------------------------------------------------------------

API_KEY_PREFIX = "evk_"
# A key's "last used" is written at most this often: a busy integration is not a write a call.
API_KEY_TOUCH_EVERY = timedelta(minutes=1)


class InvalidScopes(ValueError):
    """No scope, or one that does not exist."""


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    secret: str  # shown once, never stored


def api_key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *, organizer: Organizer, label: str, scopes: list[str], created_by: Visitor | None
) -> NewApiKey:
    """A key for the organizer endpoints of the API; the secret is returned once, its hash kept.

    Raises ``InvalidScopes`` without a scope or with an unknown one."""
    known = set(ApiKey.Scope.values)
    chosen = sorted(set(scopes))
    if not chosen or not set(chosen) <= known:
        raise InvalidScopes(chosen)
    secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organizer=organizer,
        label=label.strip()[:100],
        secret_hash=api_key_hash(secret),
        secret_hint=secret[:10],
        scopes=chosen,
        created_by=created_by if isinstance(created_by, User) else None,
    )
    return NewApiKey(key=key, secret=secret)


@transaction.atomic
def api_key_revoke(*, key_id: int, organizer: Organizer) -> ApiKey:
    """The key stops working at once (``ApiKey.DoesNotExist`` for another organizer's key)."""
    key = ApiKey.objects.select_for_update().get(pk=key_id, organizer=organizer)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The active key with this secret (looked up by its hash), its last use noted."""
    if not secret.startswith(API_KEY_PREFIX) or len(secret) > 100:
        return None
    key = (
        ApiKey.objects.select_related("organizer")
        .filter(secret_hash=api_key_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or key.last_used_at < now - API_KEY_TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key

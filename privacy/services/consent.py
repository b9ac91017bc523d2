"""The privacy app's answers and writes. Other apps call these; they never touch the tables."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from privacy.models import ConsentRecord, PolicyVersion


class PolicyAlreadyPublished(Exception):
    """A published policy version cannot be changed, only superseded by a new one."""


def policy_current() -> PolicyVersion | None:
    """The version in force: the latest one published up to now."""
    return (
        PolicyVersion.objects.filter(published_at__lte=timezone.now())
        .order_by("-published_at", "-id")
        .first()
    )


@transaction.atomic
def policy_publish(*, policy: PolicyVersion) -> PolicyVersion:
    """Publish a draft version; from now on it is the one in force."""
    policy = PolicyVersion.objects.select_for_update().get(pk=policy.pk)
    if policy.is_published:
        raise PolicyAlreadyPublished(policy.version)
    policy.content_hash = policy.compute_hash()
    policy.published_at = timezone.now()
    policy.save(update_fields=["content_hash", "published_at"])
    return policy


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


@transaction.atomic
def consent_record(
    *,
    purpose: str,
    action: str,
    wording: str,
    channel: str,
    user: AbstractBaseUser | None = None,
    email: str = "",
    phone: str = "",
    policy_version: PolicyVersion | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    source: str = "",
    recorded_by: AbstractBaseUser | None = None,
) -> ConsentRecord:
    """Append one row to the consent ledger (given or withdrawn)."""
    if user is not None and not email:
        email = getattr(user, "email", "")
    return ConsentRecord.objects.create(
        purpose=purpose,
        action=action,
        wording=wording,
        channel=channel,
        user=user if user is not None and user.is_authenticated else None,
        email=_normalise_email(email),
        phone=phone,
        policy_version=policy_version if policy_version is not None else policy_current(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
        source=source,
        recorded_by=recorded_by,
    )


def consent_is_live(*, purpose: str, email: str = "", user: AbstractBaseUser | None = None) -> bool:
    """Is the latest ledger row for this subject and purpose a consent given?"""
    email = _normalise_email(email or getattr(user, "email", ""))
    subject = ConsentRecord.objects.filter(purpose=purpose)
    if user is not None and user.is_authenticated:
        subject = subject.filter(Q(user=user) | Q(email=email) if email else Q(user=user))
    elif email:
        subject = subject.filter(email=email)
    else:
        return False
    latest = subject.order_by("-created_at", "-id").values_list("action", flat=True).first()
    return latest == ConsentRecord.Action.GIVEN


def may_process(*, purpose: str, email: str = "", user: AbstractBaseUser | None = None) -> bool:
    """May we do ``purpose`` for this subject now? The one question every sender asks."""
    return consent_is_live(purpose=purpose, email=email, user=user)

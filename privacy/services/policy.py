"""Privacy-policy versions: which one is in force, and publishing a new one."""

from django.db import transaction
from django.utils import timezone

from privacy.models import PolicyVersion


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

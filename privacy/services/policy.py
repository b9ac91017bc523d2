"""Privacy-policy versions: which one is in force, publishing a new one, and which earlier
choices a material change makes stale."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from privacy.models import PolicyVersion
from privacy.services.state_cache import cached_forget, cached_read

POLICY_STATE_CACHE_KEY = "privacy:policy-state:v1"
POLICY_STATE_CACHE_SECONDS = 60


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
    """Publish a draft version; from now on it is the one in force.

    A version marked ``material`` makes earlier consents and cookie choices stale: signed-in
    buyers are asked to accept it (``privacy.services.reconsent``) and the cookie banner shows
    again. Any other version simply takes effect now. Publishing without a Kazakh or English
    text is allowed (Russian is required), but the admin warns (``missing_languages``).
    """
    policy = PolicyVersion.objects.select_for_update().get(pk=policy.pk)
    if policy.is_published:
        raise PolicyAlreadyPublished(policy.version)
    policy.content_hash = policy.compute_hash()
    policy.published_at = timezone.now()
    policy.save(update_fields=["content_hash", "published_at"])
    cached_forget(POLICY_STATE_CACHE_KEY)
    return policy


@dataclass(frozen=True)
class PolicyState:
    """The latest material version in force, and the versions that still count as accepted:
    that one and every version published after it (non-material changes need no new "yes")."""

    material_version: str = ""
    versions_in_force: frozenset[str] = frozenset()

    @property
    def has_material_change(self) -> bool:
        return bool(self.material_version)

    def accepted(self, version: str) -> bool:
        """Does a consent or choice made under ``version`` still stand?"""
        return not self.has_material_change or version in self.versions_in_force


def _policy_state_compute() -> PolicyState:
    now = timezone.now()
    material = (
        PolicyVersion.objects.filter(material=True, published_at__lte=now)
        .order_by("-published_at", "-id")
        .only("version", "published_at")
        .first()
    )
    if material is None:
        return PolicyState()
    versions = PolicyVersion.objects.filter(
        published_at__gte=material.published_at, published_at__lte=now
    ).values_list("version", flat=True)
    return PolicyState(material_version=material.version, versions_in_force=frozenset(versions))


def policy_state() -> PolicyState:
    """Cached (every page asks it for the cookie banner); publishing forgets it."""
    return cached_read(POLICY_STATE_CACHE_KEY, POLICY_STATE_CACHE_SECONDS, _policy_state_compute)

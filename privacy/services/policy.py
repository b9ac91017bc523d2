"""Privacy-policy versions: which one is in force, publishing a new one, and which earlier
choices a material change makes stale."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce, Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from eventum.cached import cached_forget, cached_read
from privacy.models import PolicyVersion

POLICY_STATE_CACHE_KEY = "privacy:policy-state:v1"
POLICY_STATE_CACHE_SECONDS = 60


class PolicyAlreadyPublished(Exception):
    """A published policy version cannot be changed, only superseded by a new one."""


def _policy_texts() -> list[str]:
    """The version's long texts in every language (the policy and its summary of changes)."""
    return [
        field.name
        for field in PolicyVersion._meta.concrete_fields
        if field.name.split("_")[0] in ("text", "changes")
    ]


POLICY_CURRENT_CACHE_KEY = "privacy:policy-current:v1"


def _policy_current_read(*, with_texts: bool) -> PolicyVersion | None:
    current = PolicyVersion.objects.filter(published_at__lte=timezone.now())
    if not with_texts:
        # which languages it has a text in (``PolicyVersion.text_language``), not the texts
        has_text = {
            f"has_text_{code}": GreaterThan(Coalesce(Length(Trim(f"text_{code}")), 0), 0)
            for code, _name in settings.LANGUAGES
        }
        current = current.defer(*_policy_texts()).annotate(**has_text)
    return current.order_by("-published_at", "-id").first()


def policy_current(*, with_texts: bool = False) -> PolicyVersion | None:
    """The version in force: the latest one published up to now.

    Without ``with_texts`` it comes from the cache (every checkout, consent and cookie choice
    names it; publishing a version, the only way one comes into force, forgets it) and
    without its texts, which are tens of kilobytes in every language; it still knows which
    languages it has a text in. The pages that show the text ask for them."""
    if with_texts:
        return _policy_current_read(with_texts=True)
    return cached_read(
        POLICY_CURRENT_CACHE_KEY,
        POLICY_STATE_CACHE_SECONDS,
        lambda: _policy_current_read(with_texts=False),
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
    cached_forget(POLICY_CURRENT_CACHE_KEY)
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

"""Accepting a material change of the policy again: who must, and recording the answer.

A version published as ``material`` asks every signed-in buyer whose processing consent was
given under an earlier version to accept the new one at their next visit
(``privacy.middleware.PolicyReconsentMiddleware`` sends them to a page that explains the
change). Accepting appends a consent to the ledger naming the new version and the language of
the text read; refusing is a withdrawal of consent (``processing_consent_withdraw``).
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from eventum.accounts import Visitor
from privacy.models import ConsentRecord, PolicyVersion
from privacy.services.consent import _subject_filter, consent_record
from privacy.services.policy import policy_current, policy_state

RECONSENT_WORDING = _(
    "I have read the privacy policy, version %(version)s, and accept it: I agree to the "
    "processing of my personal data and to its transfer to third parties under it."
)
RECONSENT_SOURCE = "policy-reconsent"


class PolicyChangedAgain(Exception):
    """The version the buyer read is no longer the one in force: show them the new one."""


def policy_reconsent_due(*, user: Visitor | None) -> PolicyVersion | None:
    """The version this buyer must accept before going on, or ``None``.

    Only a buyer whose latest processing consent is a "given" under a version published before
    the latest material one is asked; one who withdrew, or never consented, is not (checkout
    asks them anyway).
    """
    if not isinstance(user, User):
        return None
    state = policy_state()
    if not state.has_material_change:
        return None
    condition = _subject_filter(user=user)
    if condition is None:
        return None
    latest = (
        ConsentRecord.objects.filter(
            condition, purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER
        )
        .select_related("policy_version")
        .order_by("-created_at", "-id")
        .only("action", "policy_version__version")
        .first()
    )
    if latest is None or latest.action != ConsentRecord.Action.GIVEN:
        return None
    version = latest.policy_version.version if latest.policy_version is not None else ""
    if state.accepted(version):
        return None
    return policy_current(with_texts=True)  # the page shows it


@transaction.atomic
def policy_reconsent_accept(
    *,
    user: User,
    version: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> ConsentRecord:
    """The buyer accepts ``version`` (the one they were shown); raises ``PolicyChangedAgain``
    when another version has come into force since the page was shown."""
    policy = policy_current()
    if policy is None or policy.version != version:
        raise PolicyChangedAgain(version)
    return consent_record(
        purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER,
        action=ConsentRecord.Action.GIVEN,
        wording=str(RECONSENT_WORDING) % {"version": policy.version},
        channel=ConsentRecord.Channel.SITE,
        user=user,
        policy_version=policy,
        ip_address=ip_address,
        user_agent=user_agent,
        source=RECONSENT_SOURCE,
    )

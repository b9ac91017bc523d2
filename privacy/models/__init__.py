"""Privacy models, one module per concept; import them from ``privacy.models``."""

from privacy.models.access import SubjectAccessRequest
from privacy.models.blocking import BlockingRequest
from privacy.models.claims import Claim, ClaimAttachment, claim_due_on
from privacy.models.consent import (
    AppendOnlyModel,
    AppendOnlyQuerySet,
    ConsentRecord,
    ConsentWithdrawal,
    WithdrawalAnswer,
)
from privacy.models.disclosures import Disclosure, DisclosureSubject
from privacy.models.incidents import Incident
from privacy.models.iplog import IpDailyStat, IpEvent, IpLogEntry
from privacy.models.operator import Operator, bin_is_valid, validate_bin
from privacy.models.policy import PolicyVersion

__all__ = [
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "BlockingRequest",
    "Claim",
    "ClaimAttachment",
    "ConsentRecord",
    "ConsentWithdrawal",
    "Disclosure",
    "DisclosureSubject",
    "Incident",
    "IpDailyStat",
    "IpEvent",
    "IpLogEntry",
    "Operator",
    "PolicyVersion",
    "SubjectAccessRequest",
    "WithdrawalAnswer",
    "bin_is_valid",
    "claim_due_on",
    "validate_bin",
]

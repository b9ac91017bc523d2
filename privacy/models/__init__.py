"""Privacy models, one module per concept; import them from ``privacy.models``."""

from privacy.models.access import SubjectAccessRequest
from privacy.models.blocking import BlockingRequest, BlockingTransition
from privacy.models.calendar import MovedDayOff
from privacy.models.claims import Claim, ClaimAttachment, claim_due_on
from privacy.models.consent import ConsentRecord, ConsentWithdrawal, WithdrawalAnswer
from privacy.models.corrections import FixedDateError
from privacy.models.disclosures import Disclosure, DisclosureSubject
from privacy.models.incidents import Incident, incident_notice_due_at
from privacy.models.iplog import IpDailyStat, IpEvent, IpLogEntry
from privacy.models.ledger import AppendOnlyModel, AppendOnlyQuerySet, ChainedModel
from privacy.models.operator import Operator, bin_is_valid, validate_bin
from privacy.models.policy import PolicyVersion
from privacy.models.retention import ChainCut, DestructionRecord

__all__ = [
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "BlockingRequest",
    "BlockingTransition",
    "ChainCut",
    "ChainedModel",
    "Claim",
    "ClaimAttachment",
    "ConsentRecord",
    "ConsentWithdrawal",
    "DestructionRecord",
    "Disclosure",
    "DisclosureSubject",
    "FixedDateError",
    "Incident",
    "IpDailyStat",
    "IpEvent",
    "IpLogEntry",
    "MovedDayOff",
    "Operator",
    "PolicyVersion",
    "SubjectAccessRequest",
    "WithdrawalAnswer",
    "bin_is_valid",
    "claim_due_on",
    "incident_notice_due_at",
    "validate_bin",
]

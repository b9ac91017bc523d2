"""The privacy app's answers and writes. Other apps call these; they never touch the tables.

Everything public is importable from ``privacy.services``; the modules hold one concept each.
"""

from privacy.errors import SubjectBlockedError
from privacy.identity import normalise_email, normalise_phone, request_client_ip, request_meta
from privacy.services.blocking import (
    BlockedIndex,
    BlockingTransitionError,
    blocked_emails,
    blocked_index,
    blocking_block,
    blocking_reject,
    blocking_request_create,
    blocking_review_start,
    blocking_unblock,
    subject_blocked_statement,
    subject_ensure_not_blocked,
    subject_is_blocked,
)
from privacy.services.consent import (
    CONSENT_WORDINGS,
    consent_history,
    consent_is_live,
    consent_ledger_lock_statements,
    consent_live_emails,
    consent_record,
    consent_withdrawal_record,
    consent_wording,
    consents_append_statements,
    guest_consents_end,
    marketing_consent_set,
    may_process,
    processing_consent_withdraw,
    withdrawal_answer_record,
    withdrawals_of_user,
)
from privacy.services.disclosures import disclosure_record
from privacy.services.guard import (
    Subject,
    SubjectGuard,
    restricted_subject_q,
    subjects_guard,
)
from privacy.services.marketing import (
    InvalidUnsubscribeLink,
    marketing_allowed_emails,
    marketing_email_headers,
    marketing_may_send,
    marketing_unsubscribe,
    marketing_unsubscribe_url,
)
from privacy.services.masking import (
    SubjectDisplay,
    mask_email,
    mask_name,
    mask_phone,
    mask_row,
    subject_display,
)
from privacy.services.operator import operator_current, operator_save
from privacy.services.policy import (
    PolicyAlreadyPublished,
    PolicyState,
    policy_current,
    policy_publish,
    policy_state,
)
from privacy.services.reconsent import (
    PolicyChangedAgain,
    policy_reconsent_accept,
    policy_reconsent_due,
)
from privacy.services.risk import (
    IpRisk,
    ip_event_record_assessed,
    ip_event_statements,
    ip_risk_assess,
)
from privacy.services.workdays import is_working_day, working_days_deadline

__all__ = [
    "CONSENT_WORDINGS",
    "BlockedIndex",
    "BlockingTransitionError",
    "InvalidUnsubscribeLink",
    "IpRisk",
    "PolicyAlreadyPublished",
    "PolicyChangedAgain",
    "PolicyState",
    "Subject",
    "SubjectBlockedError",
    "SubjectDisplay",
    "SubjectGuard",
    "blocked_emails",
    "blocked_index",
    "blocking_block",
    "blocking_reject",
    "blocking_request_create",
    "blocking_review_start",
    "blocking_unblock",
    "consent_history",
    "consent_is_live",
    "consent_ledger_lock_statements",
    "consent_live_emails",
    "consent_record",
    "consent_withdrawal_record",
    "consent_wording",
    "consents_append_statements",
    "disclosure_record",
    "guest_consents_end",
    "ip_event_record_assessed",
    "ip_event_statements",
    "ip_risk_assess",
    "is_working_day",
    "marketing_allowed_emails",
    "marketing_consent_set",
    "marketing_email_headers",
    "marketing_may_send",
    "marketing_unsubscribe",
    "marketing_unsubscribe_url",
    "mask_email",
    "mask_name",
    "mask_phone",
    "mask_row",
    "may_process",
    "normalise_email",
    "normalise_phone",
    "operator_current",
    "operator_save",
    "policy_current",
    "policy_publish",
    "policy_reconsent_accept",
    "policy_reconsent_due",
    "policy_state",
    "processing_consent_withdraw",
    "request_client_ip",
    "request_meta",
    "restricted_subject_q",
    "subject_blocked_statement",
    "subject_display",
    "subject_ensure_not_blocked",
    "subject_is_blocked",
    "subjects_guard",
    "withdrawal_answer_record",
    "withdrawals_of_user",
    "working_days_deadline",
]

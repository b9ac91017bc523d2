"""Consents given when an account is created."""

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest

from privacy.identity import request_meta
from privacy.models import ConsentRecord
from privacy.services.consent import SIGNUP_WORDING, consent_record, consent_wording
from privacy.services.policy import policy_current


@transaction.atomic
def signup_consents_record(
    *, request: HttpRequest, user: User, marketing: bool
) -> list[ConsentRecord]:
    """Ledger rows for a new account: the policy accepted, and marketing if the box was ticked."""
    policy = policy_current()
    meta = request_meta(request)
    version = policy.version if policy is not None else "—"
    rows = [
        consent_record(
            purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER,
            action=ConsentRecord.Action.GIVEN,
            wording=str(SIGNUP_WORDING) % {"version": version},
            channel=ConsentRecord.Channel.SITE,
            user=user,
            policy_version=policy,
            source="signup",
            **meta,
        )
    ]
    if marketing:
        rows.append(
            consent_record(
                purpose=ConsentRecord.Purpose.MARKETING,
                action=ConsentRecord.Action.GIVEN,
                wording=consent_wording(ConsentRecord.Purpose.MARKETING, policy=policy),
                channel=ConsentRecord.Channel.SITE,
                user=user,
                policy_version=policy,
                source="signup",
                **meta,
            )
        )
    return rows

"""Marketing mail: who may receive it, and the one-click unsubscribe link every letter carries.

A marketing sender calls, per recipient (or once for the whole list)::

    if marketing_may_send(email=address):                      # live consent AND not blocked
        message = EmailMultiAlternatives(..., headers=marketing_email_headers(address))
        # body links marketing_unsubscribe_url(address)

Transactional mail (tickets, order confirmations, account e-mails) is not marketing and does
not ask.
"""

from collections.abc import Iterable

from allauth.utils import build_absolute_uri
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext

from privacy.identity import normalise_email
from privacy.models import ConsentRecord
from privacy.services.blocking import blocked_emails
from privacy.services.consent import (
    consent_is_live,
    consent_live_emails,
    consent_record,
    may_process,
)

UNSUBSCRIBE_SALT = "privacy.marketing.unsubscribe"
MARKETING = ConsentRecord.Purpose.MARKETING


class InvalidUnsubscribeLink(Exception):
    """The link was altered or was not made by us."""


def marketing_may_send(*, email: str = "", user: User | None = None, phone: str = "") -> bool:
    """May we send marketing to this subject now? Live marketing consent and not blocked."""
    return may_process(purpose=MARKETING, email=email, user=user, phone=phone)


def marketing_allowed_emails(emails: Iterable[str]) -> set[str]:
    """The addresses among ``emails`` that may get marketing now (normalised), in bulk."""
    wanted = {normalise_email(e) for e in emails} - {""}
    return consent_live_emails(purpose=MARKETING, emails=wanted) - blocked_emails(wanted)


def marketing_unsubscribe_token(email: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(normalise_email(email), compress=True)


def marketing_unsubscribe_email(token: str) -> str:
    """The address a token was made for; ``InvalidUnsubscribeLink`` if it was tampered with."""
    try:
        email = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature as error:
        raise InvalidUnsubscribeLink(token) from error
    if not isinstance(email, str) or "@" not in email:
        raise InvalidUnsubscribeLink(token)
    return email


def marketing_unsubscribe_url(email: str) -> str:
    """Absolute, signed one-click unsubscribe link for ``email`` (no login, never expires)."""
    path = reverse("privacy:unsubscribe", kwargs={"token": marketing_unsubscribe_token(email)})
    return str(build_absolute_uri(None, path))


def marketing_email_headers(email: str) -> dict[str, str]:
    """``List-Unsubscribe`` headers (RFC 8058 one-click) for a marketing message to ``email``."""
    return {
        "List-Unsubscribe": f"<{marketing_unsubscribe_url(email)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def marketing_unsubscribe(
    *, token: str, ip_address: str | None = None, user_agent: str = ""
) -> tuple[str, ConsentRecord | None]:
    """Withdraw marketing consent for the address in ``token``; effective at once.

    Returns the address and the new ledger row (``None`` if consent was not live: clicking
    twice records nothing twice).
    """
    email = marketing_unsubscribe_email(token)
    if not consent_is_live(purpose=MARKETING, email=email):
        return email, None
    record = consent_record(
        purpose=MARKETING,
        action=ConsentRecord.Action.WITHDRAWN,
        wording=gettext("Unsubscribed from marketing by the link in an e-mail."),
        channel=ConsentRecord.Channel.EMAIL_LINK,
        email=email,
        ip_address=ip_address,
        user_agent=user_agent,
        source="unsubscribe-link",
    )
    return email, record

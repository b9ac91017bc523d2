"""E-mail proof for access requests from the site form: no data before the link is opened.

Someone not signed in asks "what do you hold about me?" naming an e-mail. The request is
registered as awaiting confirmation and a link is sent to that e-mail (through the outbox and
Celery, ``eventum.mail``). Only the token's SHA-256 is stored. The link works once, for
``ACCESS_LINK_VALID_FOR``; confirming records the time (staff see it in the admin) and the
requester gets the data held about that e-mail — nothing about the subject is shown or sent
before. The answer page is the same whether or not we know the e-mail.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.utils import build_absolute_uri
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eventum.mail import email_enqueue
from privacy.models import SubjectAccessRequest
from privacy.services.access import (
    access_due_at,
    subject_access_answer,
    subject_access_request_create,
    subject_data_collect,
)

ACCESS_LINK_HOURS = 24
ACCESS_LINK_VALID_FOR = timedelta(hours=ACCESS_LINK_HOURS)


class AccessLinkInvalid(Exception):
    """The confirmation link cannot be used; ``message`` says why, for the person holding it."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    MESSAGES = {
        UNKNOWN: gettext_lazy("This link is not valid. Check that it was copied in full."),
        EXPIRED: gettext_lazy(
            "This link has expired (it works for %(hours)s hours). Send the request again."
        ),
        USED: gettext_lazy(
            "This link has already been used: each link opens the data once. "
            "Send the request again to see it once more."
        ),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.reason]) % {"hours": ACCESS_LINK_HOURS}


def access_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _confirmation_url(token: str) -> str:
    return str(build_absolute_uri(None, reverse("privacy:access_confirm", kwargs={"token": token})))


def _confirmation_mail(request: SubjectAccessRequest, token: str) -> EmailMultiAlternatives:
    """Only the link, the request number and the expiry: nothing about the subject."""
    context = {
        "request_obj": request,
        "url": _confirmation_url(token),
        "hours": ACCESS_LINK_HOURS,
    }
    subject = " ".join(
        render_to_string("privacy/email/access_confirm_subject.txt", context).split()
    )
    body = render_to_string("privacy/email/access_confirm.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[request.confirmation_email])


@transaction.atomic
def subject_access_request_submit(*, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Register a request from the site form and mail the confirmation link to the subject's
    e-mail (or the e-mail of the order it names); the request waits for that link.

    Whether we hold anything about the e-mail does not change what happens, so the answer
    cannot be used to find out who has an account or orders here.
    """
    request.channel = SubjectAccessRequest.Channel.SITE
    request.status = SubjectAccessRequest.Status.AWAITING_CONFIRMATION
    request = subject_access_request_create(request=request)
    if not request.subject_email:
        return request
    token = secrets.token_urlsafe(32)
    request.confirmation_email = request.subject_email
    request.confirmation_token_hash = access_token_hash(token)
    request.confirmation_sent_at = timezone.now()
    request.save(
        update_fields=["confirmation_email", "confirmation_token_hash", "confirmation_sent_at"]
    )
    email_enqueue(_confirmation_mail(request, token))
    return request


def _check(request: SubjectAccessRequest | None) -> SubjectAccessRequest:
    if request is None:
        raise AccessLinkInvalid(AccessLinkInvalid.UNKNOWN)
    if request.verified_at is not None:
        raise AccessLinkInvalid(AccessLinkInvalid.USED)
    if (
        request.confirmation_sent_at is None
        or timezone.now() > request.confirmation_sent_at + ACCESS_LINK_VALID_FOR
    ):
        raise AccessLinkInvalid(AccessLinkInvalid.EXPIRED)
    return request


def _by_token(token: str) -> QuerySet[SubjectAccessRequest]:
    if not token or len(token) > 100:
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(
        channel=SubjectAccessRequest.Channel.SITE, confirmation_token_hash=access_token_hash(token)
    )


def subject_access_link_check(*, token: str) -> SubjectAccessRequest:
    """The request a link confirms, if it may still be used (``AccessLinkInvalid`` if not)."""
    return _check(_by_token(token).first())


@transaction.atomic
def subject_access_confirm(*, token: str) -> SubjectAccessRequest:
    """The e-mail's owner opened the link: the request is confirmed now (once, within the
    validity) and its answer is due ``SUBJECT_ACCESS_DAYS`` working days from now."""
    request = _check(_by_token(token).select_for_update().first())
    now = timezone.now()
    request.verified_at = now
    request.status = SubjectAccessRequest.Status.RECEIVED
    request.due_at = access_due_at(now)
    request.save(update_fields=["verified_at", "status", "due_at"])
    return request


def _account_of(email: str) -> User | None:
    """The account whose verified address is ``email``: proving the address proves it too."""
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


def subject_access_confirmed_data(*, request: SubjectAccessRequest) -> dict[str, Any]:
    """Everything held about the confirmed e-mail (and the account verified with it).

    Only the address that was proven counts: a phone or order code typed into the form is
    left to staff, who check the requester by other means.
    """
    if request.verified_at is None or not request.confirmation_email:
        raise AccessLinkInvalid(AccessLinkInvalid.UNKNOWN)
    email = request.confirmation_email
    return subject_data_collect(user=_account_of(email), email=email)


def subject_access_answer_confirmed(
    *, request: SubjectAccessRequest, fmt: str
) -> SubjectAccessRequest:
    """The data was handed to the confirmed requester: the request is answered now."""
    return subject_access_answer(
        request=request,
        by=None,
        answer_text=_("Given to the requester after the e-mail was confirmed (%(format)s).")
        % {"format": fmt.upper()},
    )

"""Subject access: everything held about a subject, and the requests asking for it.

Other apps add their sections through the ``privacy.signals.subject_data_requested`` signal
(the tickets app: orders with tickets, check-ins, payments and ticket e-mails, and the messages
sent to the subject) and name the subject's orders and their IP addresses through
``subject_references_requested``, so privacy never imports them. A request from the site form
is answered only after the e-mail's owner confirmed it (``privacy.services.access_confirmation``).
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eventum.accounts import Visitor
from privacy.identity import ip_network, normalise_email, normalise_phone, phone_stored_forms
from privacy.models import (
    BlockingRequest,
    Claim,
    ConsentRecord,
    Disclosure,
    IpDailyStat,
    IpEvent,
    IpLogEntry,
    SubjectAccessRequest,
)
from privacy.purposes import processing_purposes
from privacy.services.blocking import subject_from_order_code, subject_is_blocked
from privacy.services.workdays import working_days_deadline
from privacy.signals import (
    SubjectDataSection,
    SubjectReferences,
    subject_data_requested,
    subject_references_requested,
)

IP_LOG_ROWS_SHOWN = 1000
IP_DAILY_ROWS_SHOWN = 1000
COOKIE_PURPOSES = (
    ConsentRecord.Purpose.COOKIES_ANALYTICS,
    ConsentRecord.Purpose.COOKIES_MARKETING,
)


def access_due_at(received_at: datetime) -> datetime:
    """Answer due within ``SUBJECT_ACCESS_DAYS`` (three) working days."""
    return working_days_deadline(received_at, settings.SUBJECT_ACCESS_DAYS)


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _profile(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "first_name": getattr(user, "first_name", ""),
        "last_name": getattr(user, "last_name", ""),
        "date_joined": _when(getattr(user, "date_joined", None)),
        "last_login": _when(getattr(user, "last_login", None)),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def _consent_rows(
    rows: QuerySet[ConsentRecord], *, with_browser: bool = False
) -> list[dict[str, Any]]:
    data = []
    for row in rows.select_related("policy_version").order_by("-created_at", "-id"):
        item = {
            "time": _when(row.created_at),
            "purpose": row.get_purpose_display(),
            "action": row.get_action_display(),
            "policy_version": row.policy_version.version if row.policy_version else None,
            "wording": row.wording,
            "channel": row.get_channel_display(),
            "source": row.source,
            "ip_address": row.ip_address,
        }
        if with_browser:
            item["browser"] = row.browser_id
        data.append(item)
    return data


def _consents(condition: Q) -> list[dict[str, Any]]:
    """Consents to processing and advertising (cookie choices have their own section)."""
    return _consent_rows(
        ConsentRecord.objects.filter(condition).exclude(purpose__in=COOKIE_PURPOSES)
    )


def _cookie_choices(condition: Q) -> list[dict[str, Any]]:
    """Cookie choices recorded for the subject (made while signed in), with the browser's id."""
    return _consent_rows(
        ConsentRecord.objects.filter(condition, purpose__in=COOKIE_PURPOSES), with_browser=True
    )


def _blocking(condition: Q, *, email: str, phone: str, user: User | None) -> dict[str, Any]:
    requests = BlockingRequest.objects.filter(condition).order_by("-received_at")
    return {
        "is_blocked": subject_is_blocked(email=email, phone=phone, user=user),
        "requests": [
            {
                "number": request.pk,
                "received_at": _when(request.received_at),
                "status": request.get_status_display(),
                "grounds": request.get_grounds_display(),
                "blocked_at": _when(request.blocked_at),
                "unblocked_at": _when(request.unblocked_at),
            }
            for request in requests
        ],
    }


def _disclosures(identifiers: set[str]) -> list[dict[str, Any]]:
    rows = (
        Disclosure.objects.filter(subjects__subject__in=identifiers)
        .distinct()
        .order_by("-created_at")
    )
    return [
        {
            "time": _when(row.created_at),
            "recipient": row.recipient,
            "purpose": row.purpose,
            "channel": row.get_channel_display(),
            "fields": row.fields,
        }
        for row in rows
    ]


def _claims(email: str) -> list[dict[str, Any]]:
    if not email:
        return []
    return [
        {"received_on": c.received_on.isoformat(), "topic": c.topic, "answered": c.is_answered}
        for c in Claim.objects.filter(claimant_email=email).order_by("-received_on")
    ]


def _ip_log(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"total": 0, "rows": []}
    rows = IpLogEntry.objects.filter(user=user).order_by("-created_at")
    return {
        "total": rows.count(),
        "rows": [
            {"time": _when(r.created_at), "ip": r.ip, "method": r.method, "path": r.path}
            for r in rows[:IP_LOG_ROWS_SHOWN]
        ],
    }


def _references(*, user: User | None, email: str, phone: str) -> SubjectReferences:
    """The subject's order codes and order IP addresses, as other apps name them."""
    found = SubjectReferences()
    answers: list[tuple[Any, Any]] = subject_references_requested.send(
        sender=SubjectAccessRequest, user=user, email=email, phone=phone
    )
    for _receiver, answer in answers:
        if answer is not None:
            found.order_codes += answer.order_codes
            found.ip_addresses += answer.ip_addresses
    return found


def _ip_events(order_codes: list[str]) -> list[dict[str, Any]]:
    """Payment-flow events recorded by IP for the subject's orders."""
    if not order_codes:
        return []
    rows = IpEvent.objects.filter(reference__in=order_codes).order_by("-created_at", "-id")
    return [
        {
            "time": _when(row.created_at),
            "ip": row.ip,
            "kind": row.get_kind_display(),
            "order": row.reference,
        }
        for row in rows
    ]


def _subject_ips(*, user: User | None, references: SubjectReferences) -> set[str]:
    """IP addresses tied to the subject: their orders, those orders' events, their visits."""
    ips = set(references.ip_addresses)
    if references.order_codes:
        ips |= set(
            IpEvent.objects.filter(reference__in=references.order_codes).values_list(
                "ip", flat=True
            )
        )
    if user is not None:
        ips |= set(
            IpLogEntry.objects.filter(user=user).order_by().values_list("ip", flat=True).distinct()
        )
    return ips


def _ip_daily(ips: set[str]) -> dict[str, Any]:
    """Requests per day from the subject's IP addresses (kept after the raw rows are gone)."""
    # Kept per network (IPv4 /24, IPv6 /48), not per address: the subject's networks' counts.
    networks = {ip_network(ip) for ip in ips} - {""}
    rows = IpDailyStat.objects.filter(ip__in=networks).order_by("-day", "ip") if networks else None
    if rows is None:
        return {"total": 0, "rows": []}
    return {
        "total": rows.count(),
        "rows": [
            {
                "day": row.day.isoformat(),
                "ip": row.ip,
                "requests": row.requests,
                "error_responses": row.error_responses,
                "signed_in_requests": row.signed_in_requests,
            }
            for row in rows[:IP_DAILY_ROWS_SHOWN]
        ],
    }


def _purposes() -> list[dict[str, str]]:
    return [
        {
            "purpose": item.purpose,
            "data": item.data,
            "recipients": item.recipients,
            "basis": item.basis,
            "retention": item.retention,
        }
        for item in processing_purposes()
    ]


def _subject_conditions(*, user: User | None, email: str, phone: str) -> tuple[Q, Q]:
    """Filters for the consent ledger (``user``/``email``/``phone``) and for requests
    (``subject_user``/``subject_email``/``subject_phone``)."""
    consent_q = Q(pk__in=[])
    subject_q = Q(pk__in=[])
    if user is not None:
        consent_q |= Q(user=user)
        subject_q |= Q(subject_user=user)
    if email:
        consent_q |= Q(email=email)
        subject_q |= Q(subject_email=email)
    # The consent ledger and the disclosure log are append-only: their rows from before phones
    # were E.164 keep the old form, so they are matched in every form they may hold.
    phone_forms = phone_stored_forms(phone)
    if phone:
        consent_q |= Q(phone__in=sorted(phone_forms))
        subject_q |= Q(subject_phone=phone)
    return consent_q, subject_q


def subject_data_collect(
    *, user: Visitor | None = None, email: str = "", phone: str = ""
) -> dict[str, Any]:
    """Everything held about a subject, as JSON-serialisable data, section by section.

    Privacy's own sections (profile, consents, cookie choices, blocking state, claims,
    disclosures, IP log, payment-flow events of their orders, daily counts of their IP
    addresses, purposes and retention) and every section other apps return from
    ``subject_data_requested``.
    """
    return _subject_data(user=user if isinstance(user, User) else None, email=email, phone=phone)


def _subject_data(*, user: User | None, email: str, phone: str) -> dict[str, Any]:
    email = normalise_email(email or getattr(user, "email", ""))
    phone = normalise_phone(phone)
    consent_q, subject_q = _subject_conditions(user=user, email=email, phone=phone)
    references = _references(user=user, email=email, phone=phone)
    sections: list[SubjectDataSection] = []
    if user is not None:
        sections.append(SubjectDataSection("profile", _("Profile"), _profile(user)))
    sections += [
        SubjectDataSection("consents", _("Consents given and withdrawn"), _consents(consent_q)),
        SubjectDataSection("cookie_choices", _("Cookie choices"), _cookie_choices(consent_q)),
        SubjectDataSection(
            "blocking",
            _("Blocking of your data"),
            _blocking(subject_q, email=email, phone=phone, user=user),
        ),
        SubjectDataSection("claims", _("Claims"), _claims(email)),
        SubjectDataSection(
            "disclosures",
            _("Transfers to third parties"),
            _disclosures({email} - {""} | phone_stored_forms(phone)),
        ),
        SubjectDataSection("ip_log", _("Visits (IP log)"), _ip_log(user)),
        SubjectDataSection(
            "ip_events",
            _("Order and payment events by IP address"),
            _ip_events(references.order_codes),
        ),
        SubjectDataSection(
            "ip_daily",
            _("Requests per day from your IP addresses"),
            _ip_daily(_subject_ips(user=user, references=references)),
        ),
    ]
    answers: list[tuple[Any, Any]] = subject_data_requested.send(
        sender=SubjectAccessRequest, user=user, email=email, phone=phone
    )
    for _receiver, answer in answers:
        if answer is None:
            continue
        sections.extend(answer if isinstance(answer, list | tuple) else [answer])
    sections.append(
        SubjectDataSection("purposes", _("Purposes of processing and retention"), _purposes())
    )
    return {
        "generated_at": _when(timezone.now()),
        "subject": {"email": email, "phone": phone},
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "data": section.data,
                **(
                    {"labels": {k: str(v) for k, v in section.labels.items()}}
                    if section.labels
                    else {}
                ),
            }
            for section in sections
        ],
    }


@transaction.atomic
def subject_access_request_create(
    *, request: SubjectAccessRequest, created_by: Visitor | None = None
) -> SubjectAccessRequest:
    """Register an access request; the answer is due in ``SUBJECT_ACCESS_DAYS`` working days.

    A request that ``corrects`` an earlier one (its date was entered wrong) takes over that
    one's status and answer; the earlier one is closed as corrected.
    """
    if request.subject_order_code and not (request.subject_email or request.subject_phone):
        found = subject_from_order_code(request.subject_order_code)
        request.subject_email = found.get("email", "")
        request.subject_phone = found.get("phone", "")
    if not (
        request.subject_email
        or request.subject_phone
        or request.subject_order_code
        or request.subject_user_id
    ):
        raise ValidationError(
            {"subject_email": _("Identify the subject: e-mail, phone or order code.")}
        )
    if request.received_at is None:
        request.received_at = timezone.now()
    request.due_at = access_due_at(request.received_at)
    if isinstance(created_by, User):
        request.created_by = created_by
    if request.corrects_id is not None:
        _correction_take_over(request)
    request.save()
    return request


def _correction_take_over(request: SubjectAccessRequest) -> None:
    assert request.corrects_id is not None  # only called for a correction
    original = SubjectAccessRequest.objects.select_for_update().get(pk=request.corrects_id)
    if original.status == SubjectAccessRequest.Status.CORRECTED:
        raise ValidationError(
            {"corrects": _("Request № %(number)s was already corrected.") % {"number": original.pk}}
        )
    for name in ("status", "verified_at", "answered_at", "answered_by", "answer_text"):
        setattr(request, name, getattr(original, name))
    request.answer_file = original.answer_file.name
    original.status = SubjectAccessRequest.Status.CORRECTED
    original.save(update_fields=["status"])


@transaction.atomic
def subject_access_answer(
    *, request: SubjectAccessRequest, by: Visitor | None, answer_text: str = ""
) -> SubjectAccessRequest:
    """Mark the request answered now (the answer and any file are stored on the request)."""
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SubjectAccessRequest.Status.RECEIVED:
        return request
    request.status = SubjectAccessRequest.Status.ANSWERED
    request.answered_at = timezone.now()
    request.answered_by = by if isinstance(by, User) else None
    if answer_text:
        request.answer_text = answer_text
    request.save()
    return request


def subject_access_self_service(*, user: User, fmt: str) -> SubjectAccessRequest:
    """A signed-in buyer downloaded their data: noted as an access request answered at once."""
    now = timezone.now()
    return SubjectAccessRequest.objects.create(
        subject_user=user,
        subject_email=user.email,
        requester_email=user.email,
        channel=SubjectAccessRequest.Channel.ACCOUNT,
        received_at=now,
        due_at=now,
        status=SubjectAccessRequest.Status.ANSWERED,
        answered_at=now,
        answer_text=_("Downloaded from the account (%(format)s).") % {"format": fmt},
    )

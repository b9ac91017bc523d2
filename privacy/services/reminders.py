"""The daily reminder to staff: claims, blocking and access requests due soon or overdue."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from eventum.mail import email_enqueue
from privacy.models import BlockingRequest, Claim, Incident, SubjectAccessRequest


@dataclass
class PrivacyReminders:
    today: date
    claims_overdue: list[Claim] = field(default_factory=list)
    claims_due_soon: list[Claim] = field(default_factory=list)
    blocking_overdue: list[BlockingRequest] = field(default_factory=list)
    blocking_open: list[BlockingRequest] = field(default_factory=list)
    access_overdue: list[SubjectAccessRequest] = field(default_factory=list)
    access_open: list[SubjectAccessRequest] = field(default_factory=list)
    incidents_overdue: list[Incident] = field(default_factory=list)
    incidents_unnotified: list[Incident] = field(default_factory=list)

    def items(self) -> list[Claim | BlockingRequest | SubjectAccessRequest | Incident]:
        return [
            *self.claims_overdue,
            *self.claims_due_soon,
            *self.blocking_overdue,
            *self.blocking_open,
            *self.access_overdue,
            *self.access_open,
            *self.incidents_overdue,
            *self.incidents_unnotified,
        ]

    @property
    def count(self) -> int:
        return len(self.items())


def privacy_reminders_collect(*, today: date | None = None) -> PrivacyReminders:
    """What staff must act on: unanswered claims due within ``CLAIM_REMINDER_DAYS`` (five) days
    or overdue, open blocking and access requests (overdue ones apart), and incidents whose
    notice to the authorised body is not recorded (due one working day after detection;
    overdue ones apart). Entries replaced by a correction are left out."""
    today = today or timezone.localdate()
    now = timezone.now()
    horizon = today + timedelta(days=settings.CLAIM_REMINDER_DAYS)
    open_claims = Claim.objects.filter(
        answered_on__isnull=True, due_on__lte=horizon, corrected_by__isnull=True
    ).order_by("due_on")
    incidents = Incident.objects.filter(
        authority_notified_at__isnull=True, corrected_by__isnull=True
    ).order_by("authority_notice_due_at")
    blocking = BlockingRequest.objects.filter(status__in=BlockingRequest.OPEN_STATUSES).order_by(
        "due_at"
    )
    access = SubjectAccessRequest.objects.filter(
        status__in=SubjectAccessRequest.OPEN_STATUSES
    ).order_by("due_at")
    return PrivacyReminders(
        today=today,
        claims_overdue=[c for c in open_claims if c.due_on < today],
        claims_due_soon=[c for c in open_claims if c.due_on >= today],
        blocking_overdue=[r for r in blocking if r.due_at < now],
        blocking_open=[r for r in blocking if r.due_at >= now],
        access_overdue=[r for r in access if r.due_at < now],
        access_open=[r for r in access if r.due_at >= now],
        incidents_overdue=[i for i in incidents if i.authority_notice_due_at < now],
        incidents_unnotified=[i for i in incidents if i.authority_notice_due_at >= now],
    )


def _admin_url(obj: Model) -> str:
    path = reverse(f"admin:privacy_{obj._meta.model_name}_change", args=[obj.pk])
    return str(build_absolute_uri(None, path))


def privacy_reminders_send(*, today: date | None = None) -> int:
    """E-mail ``STAFF_NOTIFICATION_EMAILS`` what is due; nothing is sent when nothing is due.

    Returns the number of items listed.
    """
    reminders = privacy_reminders_collect(today=today)
    if not reminders.count or not settings.STAFF_NOTIFICATION_EMAILS:
        return 0
    for item in reminders.items():
        # The e-mail template links every item to its admin page.
        item.admin_link = _admin_url(item)  # type: ignore[union-attr]
    with translation.override(settings.LANGUAGE_CODE):
        context = {"r": reminders}
        subject = render_to_string("privacy/email/reminders_subject.txt", context).strip()
        body = render_to_string("privacy/email/reminders.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=list(settings.STAFF_NOTIFICATION_EMAILS)
    )
    email_enqueue(message)
    return reminders.count

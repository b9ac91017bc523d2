"""Requests to block a subject's personal data, and their life in the staff's hands."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models.corrections import CorrectableMixin
from privacy.models.ledger import ChainedModel
from privacy.models.subjects import DeadlineMixin, SubjectIdentity
from privacy.storage import private_storage

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.utils.functional import _StrPromise


def _staff_fk(verbose_name: "_StrPromise") -> "models.ForeignKey[User | None, User | None]":
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class BlockingRequest(CorrectableMixin, SubjectIdentity, DeadlineMixin):
    """A request to block personal data (Law of RK No. 94-V): due within one working day.

    From receipt (a provisional block) until it is rejected or lifted the subject's data is not
    processed: see ``privacy.services.subject_is_blocked``.
    """

    class RequesterKind(models.TextChoices):
        SUBJECT = "subject", _("The data subject")
        REPRESENTATIVE = "legal_representative", _("Legal representative")
        AUTHORITY = "authorised_body", _("Authorised body")

    class Grounds(models.TextChoices):
        INACCURATE = "inaccurate_data", _("Inaccurate data")
        UNLAWFUL = "unlawful_processing", _("Unlawful processing")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        BLOCKED = "blocked", _("Blocked")
        REJECTED = "rejected", _("Rejected")
        UNBLOCKED = "unblocked", _("Unblocked")
        CORRECTED = "corrected", _("Replaced by a correction")

    class Channel(models.TextChoices):
        SITE = "site", _("Form on the site")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        ADMIN = "admin", _("Other (recorded by staff)")
        API = "api", _("API (mobile app or partner)")

    OPEN_STATUSES = (Status.RECEIVED, Status.UNDER_REVIEW)
    # The status a staff step starts from, set by the services for the transition log (not a
    # column: the log keeps it).
    from_status: str = ""
    # The policy blocks from the moment of the request: open requests block provisionally.
    IN_FORCE_STATUSES = (Status.RECEIVED, Status.UNDER_REVIEW, Status.BLOCKED)
    FIXED_DATES = ("received_at",)
    ONCE_SET_DATES = ("review_started_at", "blocked_at", "rejected_at", "unblocked_at")

    requester_kind = models.CharField(
        _("request made by"), max_length=30, choices=RequesterKind.choices
    )
    requester_name = models.CharField(_("requester's name"), max_length=300)
    requester_email = models.EmailField(_("requester's e-mail"), blank=True)
    requester_phone = models.CharField(_("requester's phone"), max_length=20, blank=True)
    authority_document = models.FileField(
        _("document (power of attorney, order)"),
        storage=private_storage,
        upload_to="privacy/blocking/%Y/%m/",
        blank=True,
        help_text=_("Required for a legal representative"),
    )
    document_reference = models.CharField(_("document number and date"), max_length=200, blank=True)
    grounds = models.CharField(_("grounds"), max_length=30, choices=Grounds.choices)
    grounds_details = models.TextField(_("details"), blank=True)
    channel = models.CharField(
        _("arrived by"), max_length=20, choices=Channel.choices, default=Channel.ADMIN
    )
    submitted_ip = models.GenericIPAddressField(_("submitted from IP"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    review_started_by = _staff_fk(_("review started by"))
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    blocked_by = _staff_fk(_("blocked by"))
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejected_by = _staff_fk(_("rejected by"))
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    unblocked_at = models.DateTimeField(_("unblocked at"), null=True, blank=True)
    unblocked_by = _staff_fk(_("unblocked by"))
    unblock_reason = models.TextField(_("reason for unblocking"), blank=True)
    created_by = _staff_fk(_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocking request")
        verbose_name_plural = _("blocking requests")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "subject_email"], name="privacy_block_email_idx"),
            models.Index(fields=["status", "subject_phone"], name="privacy_block_phone_idx"),
            models.Index(fields=["status", "subject_user"], name="privacy_block_user_idx"),
        ]

    def __str__(self) -> str:
        return f"№ {self.pk} — {self.subject_label} ({self.get_status_display()})"

    @property
    def blocks_now(self) -> bool:
        """Does this request block the subject now (provisionally or confirmed)?"""
        return self.status in self.IN_FORCE_STATUSES

    @property
    def is_provisional_block(self) -> bool:
        return self.status in self.OPEN_STATUSES


class BlockingTransition(ChainedModel):
    """One step in a blocking request's life, from receipt on: who moved it, when and why.

    Written by the services in ``privacy.services.blocking`` in the step's transaction;
    append-only and hash-chained like the consent ledger.
    """

    request = models.ForeignKey(
        BlockingRequest,
        verbose_name=_("blocking request"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=BlockingRequest.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=BlockingRequest.Status.choices
    )
    by = _staff_fk(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("blocking request step")
        verbose_name_plural = _("blocking request steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"№ {self.request_id}: {self.from_status or '—'} → {self.to_status}"

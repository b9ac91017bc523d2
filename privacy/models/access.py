"""Subject access requests: "what do you hold about me?", answered within working days."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.models.corrections import CorrectableMixin
from privacy.models.subjects import DeadlineMixin, SubjectIdentity
from privacy.storage import private_storage


class SubjectAccessRequest(CorrectableMixin, SubjectIdentity, DeadlineMixin):
    class Status(models.TextChoices):
        # A request from the site form waits until the e-mail's owner opens the link sent there.
        AWAITING_CONFIRMATION = "unconfirmed", _("Awaiting e-mail confirmation")
        RECEIVED = "received", _("Received")
        ANSWERED = "answered", _("Answered")
        REJECTED = "rejected", _("Rejected")
        CORRECTED = "corrected", _("Replaced by a correction")

    class Channel(models.TextChoices):
        ACCOUNT = "account", _("Downloaded from the account")
        SITE = "site", _("Form on the site")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        ADMIN = "admin", _("Other (recorded by staff)")

    OPEN_STATUSES = (Status.RECEIVED,)
    FIXED_DATES = ("received_at",)
    ONCE_SET_DATES = ("answered_at",)

    requester_name = models.CharField(_("requester's name"), max_length=300, blank=True)
    requester_email = models.EmailField(_("requester's e-mail"), blank=True)
    requester_phone = models.CharField(_("requester's phone"), max_length=20, blank=True)
    request_text = models.TextField(_("request"), blank=True)
    channel = models.CharField(
        _("arrived by"), max_length=20, choices=Channel.choices, default=Channel.ADMIN
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    # E-mail proof for requests from the site form: the link's token is kept hashed only.
    confirmation_email = models.EmailField(_("confirmation link sent to"), blank=True)
    confirmation_token_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    confirmation_sent_at = models.DateTimeField(
        _("confirmation link sent at"), null=True, blank=True
    )
    verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer_text = models.TextField(_("answer"), blank=True)
    answer_file = models.FileField(
        _("answer sent (file)"),
        storage=private_storage,
        upload_to="privacy/access/%Y/%m/",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subject access request")
        verbose_name_plural = _("subject access requests")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"№ {self.pk} — {self.subject_label} ({self.get_status_display()})"

    @property
    def needs_confirmation(self) -> bool:
        """From the site form, and the e-mail's owner has not opened the link yet."""
        return self.status == self.Status.AWAITING_CONFIRMATION

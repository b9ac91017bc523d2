"""The claims register (претензии): written claims answered within 30 calendar days."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models.corrections import CorrectableMixin
from privacy.storage import private_storage

CLAIM_ANSWER_DAYS = 30


class Claim(CorrectableMixin, models.Model):
    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    FIXED_DATES = ("received_on",)
    ONCE_SET_DATES = ("answered_on",)

    received_on = models.DateField(_("date received"), default=timezone.localdate, db_index=True)
    due_on = models.DateField(_("answer due by"), db_index=True, editable=False)
    channel = models.CharField(
        _("arrived by"), max_length=20, choices=Channel.choices, default=Channel.LETTER
    )
    incoming_number = models.CharField(_("incoming number"), max_length=100, blank=True)
    claimant_name = models.CharField(_("claimant"), max_length=300)
    claimant_email = models.EmailField(_("claimant's e-mail"), blank=True, db_index=True)
    claimant_phone = models.CharField(_("claimant's phone"), max_length=20, blank=True)
    claimant_address = models.CharField(_("claimant's postal address"), max_length=500, blank=True)
    claimant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimant's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("subject of the claim"), max_length=300)
    text = models.TextField(_("text of the claim"))
    answer_text = models.TextField(_("answer sent"), blank=True)
    answered_on = models.DateField(_("answer sent on"), null=True, blank=True)
    answer_file = models.FileField(
        _("answer (file)"), storage=private_storage, upload_to="privacy/claims/%Y/%m/", blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims register")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"№ {self.pk} — {self.claimant_name}: {self.topic}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.due_on = claim_due_on(self.received_on)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "received_on" in update_fields:
            kwargs["update_fields"] = {*update_fields, "due_on"}
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_answered and timezone.localdate() > self.due_on

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days


def claim_due_on(received_on: date) -> date:
    """The answer is due 30 calendar days after the claim was received."""
    return received_on + timedelta(days=CLAIM_ANSWER_DAYS)


class ClaimAttachment(models.Model):
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="privacy/claims/%Y/%m/")
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.description or self.file.name or ""

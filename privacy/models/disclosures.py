"""The disclosure log: every time personal data leaves the system, who sent what to whom."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models.ledger import ChainedModel


class Disclosure(ChainedModel):
    class Channel(models.TextChoices):
        EXPORT = "export", _("Attendee export")
        LIST_VIEW = "list_view", _("Attendee list viewed")
        API = "api", _("API read")
        PARTNER = "partner", _("Hand-over to a partner")
        SUBJECT = "subject", _("Given to the subject")
        ORDER_PAGE = "order_page", _("Order page in the organizer's cabinet")
        CHECKIN = "checkin", _("Check-in answer at the door")
        PAYMENT = "payment", _("Sent to the payment provider")
        STAFF = "staff", _("Staff access outside the administration")
        MESSAGE = "message", _("Message delivery report")
        OTHER = "other", _("Other")

    created_at = models.DateTimeField(
        _("time"), default=timezone.now, editable=False, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as shown)"), max_length=200, blank=True)
    recipient = models.CharField(_("to whom"), max_length=300, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    fields = models.JSONField(_("fields"), default=list)
    subject_count = models.PositiveIntegerField(_("number of subjects"), default=0)

    class Meta:
        verbose_name = _("disclosure to a third party")
        verbose_name_plural = _("disclosures to third parties")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} → {self.recipient} ({self.subject_count})"


class DisclosureSubject(ChainedModel):
    """One subject (e-mail, phone or other identifier) whose data a disclosure carried."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="subjects")
    subject = models.CharField(_("subject"), max_length=254, db_index=True)

    class Meta:
        verbose_name = _("subject of a disclosure")
        verbose_name_plural = _("subjects of disclosures")

    def __str__(self) -> str:
        return self.subject

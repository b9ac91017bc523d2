"""What was delivered to the buyer: the stored PDF of an order and every e-mail sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models.questions import private_storage


def ticket_pdf_upload_to(instance: "TicketPdf", filename: str) -> str:
    return f"tickets/pdf/{filename}"


class TicketPdf(models.Model):
    """The order's tickets as one PDF (a page a ticket), kept in private storage.

    ``fingerprint`` hashes the tickets printed (ids and secrets): a re-issued secret or a
    refunded ticket changes it, and the file is then rendered again.
    """

    order = models.OneToOneField("tickets.Order", on_delete=models.CASCADE, related_name="pdf")
    file = models.FileField(storage=private_storage, upload_to=ticket_pdf_upload_to, max_length=200)
    fingerprint = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("PDF tickets")
        verbose_name_plural = _("PDF tickets")

    def __str__(self) -> str:
        return self.file.name or ""


class EmailDelivery(models.Model):
    """One e-mail with the tickets: queued, then sent or failed (after its retries)."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Order confirmation")
        RESEND = "resend", _("Tickets sent again")
        SESSION_MOVED = "session_moved", _("The session moved: tickets sent again")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey(
        "tickets.Order", on_delete=models.CASCADE, related_name="email_deliveries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_label = models.CharField(_("requested by"), max_length=30, default="system")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail with tickets")
        verbose_name_plural = _("e-mails with tickets")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["order", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.order_id} → {self.to}: {self.status}"

"""Privacy records: which policy was in force, and who consented to what under it."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    """A privacy-policy text. Published versions are never edited, only superseded."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    content_hash = models.CharField(_("SHA-256 of the text"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy policy version")
        verbose_name_plural = _("privacy policy versions")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.version

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def compute_hash(self) -> str:
        texts = [getattr(self, f"text_{code}", "") or "" for code, _name in settings.LANGUAGES]
        return hashlib.sha256("\n\x1e\n".join(texts).encode()).hexdigest()


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Consent records are append-only.")

    def delete(self):
        raise PermissionError("Consent records are append-only.")


class ConsentRecord(models.Model):
    """One consent given or withdrawn. Append-only: rows are never changed or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Purpose(models.TextChoices):
        PROCESSING_AND_TRANSFER = "processing_and_transfer", _("Processing and transfer")
        MARKETING = "marketing", _("Marketing")
        COOKIES_ANALYTICS = "cookies_analytics", _("Analytics cookies")
        COOKIES_MARKETING = "cookies_marketing", _("Marketing cookies")

    class Action(models.TextChoices):
        GIVEN = "given", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Channel(models.TextChoices):
        SITE = "site", _("Site")
        WIDGET = "widget", _("Widget")
        ADMIN = "admin", _("Admin")
        LETTER = "letter", _("Registered letter")
        EMAIL_LINK = "email_link", _("Unsubscribe link")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_records",
    )
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    wording = models.TextField(_("wording shown"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Order or form it came from")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent ledger")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purpose", "email", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_action_display()} ({self.email})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Consent records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Consent records are append-only.")

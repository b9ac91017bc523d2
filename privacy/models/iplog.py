"""IP statistics of visitors: raw request rows, their daily aggregates, and risk events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IpLogEntry(models.Model):
    """One request. Written in batches by a Celery task, never one INSERT per request."""

    created_at = models.DateTimeField(_("time"), db_index=True)
    ip = models.GenericIPAddressField(_("IP address"))
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    # No database constraint: a batch may arrive after the user was deleted; Django still
    # clears the reference when a user is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("request (IP log)")
        verbose_name_plural = _("IP log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["ip", "created_at"], name="privacy_iplog_ip_idx"),
            models.Index(fields=["user", "created_at"], name="privacy_iplog_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ip} {self.method} {self.path} {self.status}"


class IpDailyStat(models.Model):
    """Requests per IP per day, kept after the raw rows of that day were deleted."""

    day = models.DateField(_("day"))
    ip = models.GenericIPAddressField(_("IP address"))
    requests = models.PositiveIntegerField(_("requests"), default=0)
    error_responses = models.PositiveIntegerField(_("responses 4xx/5xx"), default=0)
    signed_in_requests = models.PositiveIntegerField(_("requests signed in"), default=0)

    class Meta:
        verbose_name = _("IP daily statistics")
        verbose_name_plural = _("IP daily statistics")
        ordering = ["-day", "-requests"]
        constraints = [
            models.UniqueConstraint(fields=["day", "ip"], name="privacy_ipdailystat_unique")
        ]
        indexes = [models.Index(fields=["ip", "day"], name="privacy_ipdaily_ip_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.ip}: {self.requests}"


class IpEvent(models.Model):
    """An order-flow event reported by the sales app, for the per-IP risk signal."""

    class Kind(models.TextChoices):
        ORDER_CREATED = "order_created", _("Order created")
        PAYMENT_FAILED = "payment_failed", _("Payment failed")
        PAYMENT_SUCCEEDED = "payment_succeeded", _("Payment succeeded")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"))
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    reference = models.CharField(_("order"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("payment-flow event by IP")
        verbose_name_plural = _("payment-flow events by IP")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["ip", "kind", "created_at"], name="privacy_ipevent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ip} {self.get_kind_display()} {self.reference}"

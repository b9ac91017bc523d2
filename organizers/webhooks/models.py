"""Webhook endpoints of organizers, their deliveries and each attempt to send one."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eventum.cached import cached_forget


class WebhookEventType(models.TextChoices):
    ORDER_PAID = "order.paid", _("Order paid")
    ORDER_REFUNDED = "order.refunded", _("Order refunded (in full or in part)")
    ORDER_CANCELLED = "order.cancelled", _("Order cancelled")
    TICKET_CHECKED_IN = "ticket.checked_in", _("Ticket checked in")
    EVENT_SOLD_OUT = "event.sold_out", _("Event sold out")


def active_endpoints_key(organizer_id: int) -> str:
    """The cache key of the organizer's active endpoints (``webhook_emit`` reads them)."""
    return f"webhooks:active:{organizer_id}"


class WebhookEndpoint(models.Model):
    """An address of the organizer's system that gets the chosen events, signed with ``secret``.

    The secret is shown in full once (when made or rotated); it must be kept readable because
    every delivery is signed with it."""

    organizer = models.ForeignKey(
        "organizers.Organizer", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("address (URL)"), max_length=500)
    event_types = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80, editable=False)
    secret_hint = models.CharField(_("secret starts with"), max_length=12, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("switched off at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why switched off"), max_length=300, blank=True)
    failures_in_row = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    # Every order asks which endpoints are on (from the cache): any save or removal of one,
    # through the services or not, forgets its organizer's now and again after the commit.
    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        cached_forget(active_endpoints_key(self.organizer_id))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        cached_forget(active_endpoints_key(self.organizer_id))
        return deleted

    def event_type_labels(self) -> list[str]:
        labels = dict(WebhookEventType.choices)
        return [str(labels.get(name, name)) for name in self.event_types]


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload, where it stands, when it is tried next."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SUCCEEDED = "succeeded", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(_("event id"), db_index=True)
    event_type = models.CharField(_("event"), max_length=40, choices=WebhookEventType.choices)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_response_status = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery and what came back (the cabinet's delivery log)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(_("attempted at"))
    response_status = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration, ms"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.response_status or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300

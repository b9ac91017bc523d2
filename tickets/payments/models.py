"""Payments through a provider, the provider's notifications (audit trail) and refunds."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizers.models import Organizer
from tickets.models.orders import MONEY, Order
from tickets.payments.method_cache import method_rows_forget


class Payment(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("provider"), max_length=30)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CREATED
    )
    # The provider's id of the money movement (CloudPayments ``TransactionId``).
    provider_transaction_id = models.CharField(max_length=64, null=True, blank=True)
    redirect_url = models.URLField(max_length=500, blank=True)
    # The provider's id of the attempt we name (Halyk ``invoiceId``, Freedom Pay
    # ``pg_order_id``), and what its protocol needs later (never a credential of ours).
    provider_reference = models.CharField(max_length=64, blank=True, db_index=True)
    provider_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_transaction_id"],
                condition=Q(provider_transaction_id__isnull=False),
                name="payment_transaction_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} ({self.status})"


class PaymentNotificationQuerySet(models.QuerySet["PaymentNotification"]):
    def flagged(self) -> "PaymentNotificationQuerySet":
        """Notifications that were flagged for staff review, reviewed since or not."""
        return self.filter(Q(needs_review=True) | Q(reviewed_at__isnull=False))


class PaymentNotification(models.Model):
    """Every callback a provider sent, accepted or not: the audit trail of the money path.

    ``needs_review`` marks one we answered but could not apply, e.g. the refund of a payment
    we have no record of: staff find them with the admin's filter and mark them reviewed.
    """

    provider = models.CharField(_("provider"), max_length=30)
    kind = models.CharField(_("kind"), max_length=30)
    body = models.TextField(_("raw body"))
    signature_valid = models.BooleanField(_("signature valid"))
    outcome = models.CharField(_("outcome"), max_length=200)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    transaction_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False, db_index=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    objects = PaymentNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider}/{self.kind}: {self.outcome}"


class Refund(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    provider_refund_id = models.CharField(max_length=64, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "provider_refund_id"],
                condition=Q(provider_refund_id__isnull=False),
                name="refund_provider_id_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="refund_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount}"

    @property
    def reason_display(self) -> str:
        """The reason in the reader's language when a service wrote it (``order_notes``)."""
        from tickets.order_notes import order_note_display  # it reads Order: no import cycle

        return order_note_display(self.reason)


class PaymentMethodSetting(models.Model):
    """An organizer's choice about one payment provider: offered to its buyers or not, and
    where in the list. A provider the portal offers without a row here is offered, after the
    ones with a row (so a new provider shows up until the organizer decides)."""

    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, related_name="payment_method_settings"
    )
    provider = models.CharField(_("provider"), max_length=30)
    enabled = models.BooleanField(_("offered to buyers"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("payment method setting")
        verbose_name_plural = _("payment method settings")
        ordering = ["organizer", "position", "provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "provider"], name="payment_method_setting_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organizer_id}: {self.provider} ({self.position})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        method_rows_forget(self.organizer_id)  # checkouts name the methods from the cache

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        method_rows_forget(self.organizer_id)
        return deleted

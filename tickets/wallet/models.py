"""Apple Wallet passes that phones keep up to date: one row per ticket whose pass a phone
registered for updates, and the phones (devices) registered for it."""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def update_time_now() -> datetime:
    """Whole seconds: HTTP's Last-Modified and If-Modified-Since carry no fraction, so every
    update of a pass moves its time by at least one second (``wallet_passes_changed``)."""
    return timezone.now().replace(microsecond=0)


class WalletPass(models.Model):
    """The pass of one ticket as phones know it: its serial number and when its content last
    changed (the update tag phones send back in ``passesUpdatedSince``)."""

    item = models.OneToOneField(
        "tickets.OrderItem", on_delete=models.CASCADE, related_name="wallet_pass"
    )
    serial_number = models.CharField(_("serial number"), max_length=64, unique=True)
    updated_at = models.DateTimeField(_("pass changed at"), default=update_time_now)

    class Meta:
        verbose_name = _("wallet pass")
        verbose_name_plural = _("wallet passes")
        indexes = [models.Index(fields=["updated_at"], name="wallet_pass_updated_idx")]

    def __str__(self) -> str:
        return self.serial_number

    @property
    def update_tag(self) -> str:
        """The opaque tag of Apple's protocol: the change time in whole seconds since 1970."""
        return str(int(self.updated_at.timestamp()))


class WalletRegistration(models.Model):
    """A phone that asked to hear when the pass changes: its device library identifier and the
    push token Apple's push service knows it by. Personal data: deleted with the order's."""

    wallet_pass = models.ForeignKey(
        WalletPass, on_delete=models.CASCADE, related_name="registrations"
    )
    device_library_identifier = models.CharField(_("device"), max_length=128)
    push_token = models.CharField(_("push token"), max_length=200)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("wallet device registration")
        verbose_name_plural = _("wallet device registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["device_library_identifier", "wallet_pass"],
                name="wallet_registration_device_pass_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.wallet_pass} @ {self.device_library_identifier[:8]}…"

"""Check-in at the door: scanner devices of an organizer and one row per admitted ticket."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizers.models import Organizer


def scanner_token_hash(token: str) -> str:
    """Tokens are stored hashed: a leaked database does not open the door API."""
    return hashlib.sha256(token.encode()).hexdigest()


class ScannerDevice(models.Model):
    """A phone or scanner app allowed to call the check-in API with a bearer token."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="scanners")
    label = models.CharField(_("device name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token starts with"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scanner device")
        verbose_name_plural = _("scanner devices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CheckIn(models.Model):
    """A ticket let in at the door: when, by whom and on which device. One per ticket."""

    item = models.OneToOneField(
        "tickets.OrderItem", on_delete=models.CASCADE, related_name="check_in"
    )
    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="check_ins"
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.ForeignKey(
        ScannerDevice, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    scanner_label = models.CharField(_("scanner"), max_length=150)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.checked_in_at:%Y-%m-%d %H:%M}"

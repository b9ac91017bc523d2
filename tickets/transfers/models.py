"""The organizer's transfer rules of an event and every transfer of a ticket."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event
from tickets.models.orders import OrderItem


class TransferRules(models.Model):
    """Whether buyers may give tickets of the event to someone else (no row: they may not)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="transfer_rules")
    allowed = models.BooleanField(_("buyers may give tickets to someone else"), default=False)
    max_per_ticket = models.PositiveSmallIntegerField(
        _("transfers per ticket at most"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    cutoff_hours = models.PositiveIntegerField(
        _("no transfers in the last hours before the session"),
        default=24,
        validators=[MaxValueValidator(24 * 30)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("transfer rules")
        verbose_name_plural = _("transfer rules")

    def __str__(self) -> str:
        return str(self.event)


class TicketTransfer(models.Model):
    """A ticket given from one holder to another: the old QR code died at that moment."""

    item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, related_name="transfers")
    from_name = models.CharField(_("from"), max_length=201)
    from_email = models.EmailField(_("from e-mail"))
    to_name = models.CharField(_("to"), max_length=201)
    to_email = models.EmailField(_("to e-mail"))
    language = models.CharField(_("language"), max_length=10, default="ru")
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed_at = models.DateTimeField(_("ticket e-mailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("transferred at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket transfer")
        verbose_name_plural = _("ticket transfers")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id}: → {self.to_email}"

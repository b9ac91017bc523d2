"""Promo codes: a percentage or a fixed sum off, for one event or one ticket type."""

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, TicketType
from organizers.models import Organizer


class PromoCode(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent off")
        FIXED = "fixed", _("Fixed amount off")

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="promo_codes")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="promo_codes"
    )
    ticket_type = models.ForeignKey(
        TicketType, null=True, blank=True, on_delete=models.CASCADE, related_name="promo_codes"
    )
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    usage_limit = models.PositiveIntegerField(_("usage limit"), null=True, blank=True)
    # Orders (pending or paid) using the code; changed only by a conditional UPDATE.
    times_used = models.PositiveIntegerField(_("times used"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("promo code")
        verbose_name_plural = _("promo codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organizer", "code"], name="promo_code_unique"),
            models.CheckConstraint(condition=Q(value__gt=0), name="promo_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="promo_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=models.F("usage_limit")),
                name="promo_usage_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)

    def is_valid_at(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        if not self.is_active:
            return False
        if self.valid_from and now < self.valid_from:
            return False
        return not (self.valid_until and now >= self.valid_until)

    def applies_to(self, ticket_type: TicketType) -> bool:
        if self.ticket_type_id is not None:
            return ticket_type.pk == self.ticket_type_id
        if self.event_id is not None:
            return ticket_type.session.event_id == self.event_id
        return ticket_type.session.event.organizer_id == self.organizer_id

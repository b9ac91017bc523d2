"""The organizer's waiting-room settings of one event (the live queue itself is in Redis)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event


def _default_threshold() -> int:
    return int(settings.WAITROOM_AUTO_THRESHOLD_MS)


class WaitingRoom(models.Model):
    """When a queue stands in front of an event's tickets, cart and checkout.

    ``enabled`` with ``opens_at`` is the organizer's on-sale: who comes before ``opens_at``
    waits and gets a random place at the opening, later visitors queue in arrival order.
    ``auto_enabled`` switches the queue on by itself while the event's checkout is slower than
    ``auto_threshold_ms`` (p95). ``admit_per_minute`` caps how many visitors are let in a minute.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="waiting_room")
    enabled = models.BooleanField(_("waiting room on"), default=False)
    opens_at = models.DateTimeField(_("sale opens at"), null=True, blank=True)
    admit_per_minute = models.PositiveIntegerField(
        _("visitors let in per minute, at most"),
        default=300,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    auto_enabled = models.BooleanField(
        _("switch on by itself when checkout is slow"), default=False
    )
    auto_threshold_ms = models.PositiveIntegerField(
        _("checkout slower than (ms, p95)"),
        default=_default_threshold,
        validators=[MinValueValidator(100), MaxValueValidator(60000)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("waiting room")
        verbose_name_plural = _("waiting rooms")

    def __str__(self) -> str:
        return f"{self.event_id}: {'on' if self.enabled else 'off'}"

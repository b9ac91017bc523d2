"""Recurring schedules of a service and the capacity of its slots.

A ``Schedule`` is a rule (weekdays and times, or every N minutes between opening hours, valid
from–to) with exceptions; ``events.schedules.services`` turns it into ordinary ``Session`` rows
(slots) a bounded number of days ahead, each with the ticket types of ``ScheduleTicketType`` and
a ``CapacityPool`` that all of them share. Registered with the events app through
``events/models.py``.
"""

from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Schedule(models.Model):  # type: ignore[django-manager-missing]
    class Pattern(models.TextChoices):
        TIMES = "times", _("At set times")
        INTERVAL = "interval", _("Every N minutes while open")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="schedules")
    name = models.CharField(_("name"), max_length=120)
    pattern = models.CharField(
        _("pattern"), max_length=10, choices=Pattern.choices, default=Pattern.TIMES
    )
    # RFC 5545 BYDAY codes, comma-separated: "MO,TU,WE".
    weekdays = models.CharField(_("days of the week"), max_length=20, default="MO,TU,WE,TH,FR")
    # Start times of the "times" pattern, space-separated "10:00 12:30".
    times = models.CharField(_("start times"), max_length=300, blank=True)
    opens_at = models.TimeField(_("opens at"), default=time(10, 0))
    closes_at = models.TimeField(_("closes at"), default=time(18, 0))
    interval_minutes = models.PositiveSmallIntegerField(
        _("every, minutes"),
        default=60,
        validators=[MinValueValidator(10), MaxValueValidator(24 * 60)],
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    closed_on_public_holidays = models.BooleanField(
        _("closed on public holidays of Kazakhstan"), default=False
    )
    capacity = models.PositiveIntegerField(
        _("places per slot"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    resource_name = models.CharField(_("shared resource"), max_length=120, blank=True)
    resource_capacity = models.PositiveIntegerField(
        _("places of the shared resource per slot"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="schedule_valid_until_after_from",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="schedule_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_codes(self) -> list[str]:
        return [code for code in self.weekdays.split(",") if code in WEEKDAY_CODES]

    @property
    def start_times(self) -> list[time]:
        found = set()
        for piece in self.times.replace(",", " ").split():
            hours, _sep, minutes = piece.partition(":")
            try:
                found.add(time(int(hours), int(minutes or 0)))
            except ValueError:
                continue
        return sorted(found)


class ScheduleTicketType(models.Model):  # type: ignore[django-manager-missing]
    """A ticket type every slot of the schedule sells (its name is translated)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("name"), max_length=120)
    if TYPE_CHECKING:  # the per-language columns events/translation.py adds
        name_ru: str | None
        name_kk: str | None
        name_en: str | None
    price = models.DecimalField(
        _("price, KZT"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_per_order = models.PositiveSmallIntegerField(
        _("maximum per order"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    uses_resource = models.BooleanField(_("uses the shared resource"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("ticket type of a schedule")
        verbose_name_plural = _("ticket types of a schedule")
        ordering = ["position", "price", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="schedule_ticket_type_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScheduleException(models.Model):
    """A day the schedule is closed, or one extra slot outside the rule."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed all day")
        EXTRA = "extra", _("Extra slot")

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="exceptions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    starts_at_time = models.TimeField(_("time"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("schedule exception")
        verbose_name_plural = _("schedule exceptions")
        ordering = ["date", "starts_at_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="closed") | Q(starts_at_time__isnull=False),
                name="schedule_extra_slot_has_time",
            ),
            models.UniqueConstraint(
                fields=["schedule", "kind", "date", "starts_at_time"],
                name="schedule_exception_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class CapacityPool(models.Model):
    """Places of one slot shared by several of its ticket types: the slot itself (every type),
    or a shared resource such as a guide or a hall (the types that use it).

    ``taken`` moves only through ``tickets.services.inventory`` together with the ticket type's
    own counter; the check constraint is the last word against overselling."""

    class Kind(models.TextChoices):
        SLOT = "slot", _("Slot")
        RESOURCE = "resource", _("Shared resource")

    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="capacity_pools"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SLOT)
    name = models.CharField(_("name"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(_("taken (held, pending or sold)"), default=0)
    ticket_types = models.ManyToManyField(
        "events.TicketType", related_name="capacity_pools", blank=True
    )

    class Meta:
        verbose_name = _("shared places")
        verbose_name_plural = _("shared places")
        ordering = ["session", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="capacity_pool_not_oversold"
            ),
            models.UniqueConstraint(fields=["session", "kind"], name="capacity_pool_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.get_kind_display()} ({self.taken}/{self.capacity})"

    @property
    def available(self) -> int:
        return max(self.capacity - self.taken, 0)

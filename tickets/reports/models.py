"""The organizer's reporting jobs: attendee exports built in the background, messages to buyers."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session, TicketType
from organizers.models import Organizer
from tickets.models.questions import private_storage


def export_upload_to(instance: "AttendeeExport", filename: str) -> str:
    import secrets

    return f"exports/{instance.organizer_id}/{secrets.token_hex(16)}-{filename}"


class AttendeeExport(models.Model):
    """A large attendee export, written by a Celery task under PRIVATE_MEDIA_ROOT."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A service's local day (its slots'; ``session`` then narrows it to one slot).
    day = models.DateField(_("day"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    columns = models.JSONField(_("columns"), default=list)
    question_ids = models.JSONField(_("questions"), default=list)
    language = models.CharField(_("language"), max_length=10, default="ru")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=export_upload_to, blank=True, max_length=200
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendee export")
        verbose_name_plural = _("attendee exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} ({self.file_format}, {self.status})"


class AttendeeMessage(models.Model):
    """A letter from the organizer to the buyers of an event (or of one session)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service (time change, cancellation)")
        PROMOTIONAL = "promotional", _("Promotional")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Sent")

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A service's local day (its slots'; ``session`` then narrows it to one slot).
    day = models.DateField(_("day"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to buyers")
        verbose_name_plural = _("messages to buyers")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class MessageDelivery(models.Model):
    """One recipient of a message; a delivery is sent at most once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED_NO_CONSENT = "skipped_no_consent", _("Skipped: no marketing consent")
        SKIPPED_BLOCKED = "skipped_blocked", _("Skipped: data blocked")
        FAILED = "failed", _("Failed")

    message = models.ForeignKey(
        AttendeeMessage, on_delete=models.CASCADE, related_name="deliveries"
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, default="ru")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message delivery")
        verbose_name_plural = _("message deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "email"], name="delivery_one_per_email")
        ]
        indexes = [models.Index(fields=["message", "status"])]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.email}: {self.status}"


ZERO = Decimal("0.00")


class DaySales(models.Model):
    """A day's sales figures, as ``EventSalesDay`` and ``OrganizerSalesDay`` keep them: the paid
    orders, their totals, discounts and what was given back of them; their tickets still valid
    in a paid order and those given back (the sums of the day's ``TicketSalesDay`` rows), so a
    dashboard reads money and tickets at once."""

    orders = models.IntegerField(_("orders"), default=0)
    gross = models.DecimalField(_("gross"), max_digits=14, decimal_places=2, default=ZERO)
    discounts = models.DecimalField(_("discounts"), max_digits=14, decimal_places=2, default=ZERO)
    refunds = models.DecimalField(_("refunds"), max_digits=14, decimal_places=2, default=ZERO)
    sold = models.IntegerField(_("sold"), default=0)
    refunded = models.IntegerField(_("refunded"), default=0)

    class Meta:
        abstract = True


class EventSalesDay(DaySales):
    """What an event's orders paid on one local day (Asia/Almaty) are worth now: how many
    (still paid, or since refunded), their totals, discounts and what was given back of them.

    Kept in step with the orders by ``tickets.reports.services.sales_summary`` in the same
    transaction as a payment, a refund or a cancellation, so the dashboards and the payout
    report read a row per event and day instead of every order. A refund lowers the row of the
    day the order was paid. ``manage.py sales_summary_recount`` checks it against the orders.
    """

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("event sales of a day")
        verbose_name_plural = _("event sales per day")
        constraints = [
            models.UniqueConstraint(fields=["event", "day"], name="event_sales_one_per_day")
        ]
        indexes = [models.Index(fields=["organizer", "day"], name="event_sales_organizer_day")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.day}: {self.orders}"


class OrganizerSalesDay(DaySales):
    """The sums of an organizer's ``EventSalesDay`` rows of one local day, kept in step in the
    same transaction: the dashboard's and the payout report's totals and the chart read a row
    per day, not a row per event and day, so they do not grow with the number of events."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("organizer sales of a day")
        verbose_name_plural = _("organizer sales per day")
        constraints = [
            models.UniqueConstraint(fields=["organizer", "day"], name="organizer_sales_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.organizer_id} {self.day}: {self.orders}"


class TicketSalesDay(models.Model):
    """A ticket type's tickets in orders paid on one local day: still valid in a paid order
    (``sold`` and what they brought, ``revenue``) and given back (``refunded``). A booking
    moved to another time moves its tickets to that time's ticket type, same day."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    sold = models.IntegerField(_("sold"), default=0)
    refunded = models.IntegerField(_("refunded"), default=0)
    revenue = models.DecimalField(_("revenue"), max_digits=14, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = _("ticket sales of a day")
        verbose_name_plural = _("ticket sales per day")
        constraints = [
            models.UniqueConstraint(fields=["ticket_type", "day"], name="ticket_sales_one_per_day")
        ]
        indexes = [
            models.Index(fields=["organizer", "day"], name="ticket_sales_organizer_day"),
            models.Index(fields=["event", "day"], name="ticket_sales_event_day"),
            models.Index(fields=["session"], name="ticket_sales_session"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_type_id} {self.day}: {self.sold}"

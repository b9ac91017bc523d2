"""Orders, their tickets (one row each) and the log of every status change."""

import secrets
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Event, TicketType

if TYPE_CHECKING:
    from privacy.services.masking import SubjectDisplay


class MoneyDigits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: MoneyDigits = {"max_digits": 12, "decimal_places": 2}


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("order status", "Awaiting payment")
        PAID = "paid", pgettext_lazy("order status", "Paid")
        CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")
        REFUNDED = "refunded", pgettext_lazy("order status", "Refunded")
        EXPIRED = "expired", pgettext_lazy("order status", "Expired")

    code = models.CharField(_("order number"), max_length=12, unique=True)
    # Opens the order page for a guest; 192 random bits, compared in constant time.
    secret = models.CharField(max_length=64, unique=True, editable=False)
    # One per checkout form: submitting it twice finds the same order.
    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    # The event's organizer, copied when the order is made (an event never changes hands), so
    # the cabinet's lists walk one index per organizer instead of joining every event.
    organizer = models.ForeignKey(
        "organizers.Organizer",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
        db_index=False,  # the composite indexes below start with it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    surname = models.CharField(_("surname"), max_length=100)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=16)
    email = models.EmailField(_("e-mail"), db_index=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, default="ru")
    subtotal = models.DecimalField(_("subtotal"), **MONEY, default=Decimal("0"))
    discount = models.DecimalField(_("discount"), **MONEY, default=Decimal("0"))
    total = models.DecimalField(_("total"), **MONEY, default=Decimal("0"))
    refunded_amount = models.DecimalField(_("refunded"), **MONEY, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    promo_code = models.ForeignKey(
        "tickets.PromoCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    marketing_consent = models.BooleanField(_("agreed to marketing"), default=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_reason = models.CharField(_("review reason"), max_length=300, blank=True)
    payment_due_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # Set when the buyer's personal data was removed (retention schedule or the organizer's
    # destruction after the event); the fiscal fields stay.
    anonymised_at = models.DateTimeField(_("made anonymous at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    if TYPE_CHECKING:  # attached by tickets.buyer_privacy for the organizer's pages
        shown: SubjectDisplay

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "payment_due_at"]),
            models.Index(fields=["event", "status"]),
            # the cabinet's order list, newest first, by cursor; and with its status filter
            models.Index(fields=["organizer", "-created_at", "-id"], name="order_organizer_newest"),
            models.Index(
                fields=["organizer", "status", "-created_at", "-id"],
                name="order_organizer_status_newest",
            ),
            # the dashboard's chart: the last weeks of paid orders, not all of them
            models.Index(fields=["organizer", "paid_at"], name="order_organizer_paid"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(discount__gte=0), name="order_discount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=models.F("total")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.organizer_id is None and self.event_id is not None:
            self.organizer_id = Event.objects.values_list("organizer_id", flat=True).get(
                pk=self.event_id
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tickets:order_detail", kwargs={"code": self.code}) + f"?s={self.secret}"

    @property
    def is_free(self) -> bool:
        return self.total == 0

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.name}".strip()


def ticket_secret_new() -> str:
    """What a ticket's QR code carries: 192 random bits, URL-safe, unguessable."""
    return secrets.token_urlsafe(24)


class OrderItem(models.Model):
    """One ticket. Its own row so it can be refunded alone and later carry a check-in secret."""

    class Status(models.TextChoices):
        VALID = "valid", pgettext_lazy("ticket status", "Valid")
        REFUNDED = "refunded", pgettext_lazy("ticket status", "Refunded")
        CANCELLED = "cancelled", pgettext_lazy("ticket status", "Cancelled")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(_("price"), **MONEY)
    discount = models.DecimalField(_("discount"), **MONEY, default=Decimal("0"))
    amount = models.DecimalField(_("amount paid"), **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALID
    )
    refund = models.ForeignKey(
        "tickets.Refund", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # The door secret in the QR code; re-issuing replaces it and the old one stops working.
    secret = models.CharField(max_length=64, unique=True, editable=False, default=ticket_secret_new)
    secret_issued_at = models.DateTimeField(_("QR code issued at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # Reserved seating: the seat, and its label copied so the ticket reads the same if the map
    # is edited later.
    seat = models.ForeignKey(
        "events.Seat", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seat_label = models.CharField(_("seat"), max_length=120, blank=True)
    # Who holds the ticket when the buyer gave it to someone else (``tickets.transfers``);
    # empty: the buyer.
    holder_name = models.CharField(_("holder"), max_length=201, blank=True)
    holder_email = models.EmailField(_("holder's e-mail"), blank=True)
    # An open-dated ticket of a service (``TicketType.valid_days``): the local days it admits
    # once; empty for a ticket of a session or time slot.
    valid_from = models.DateField(_("first valid day"), null=True, blank=True)
    valid_until = models.DateField(_("last valid day"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_item_amount_pos"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=False, valid_until__gte=models.F("valid_from")),
                name="order_item_validity_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.code}-{self.pk}"

    @property
    def is_open_dated(self) -> bool:
        return self.valid_until is not None

    def usable_until(self) -> datetime:
        """When the ticket can no longer be used: its session's start, or for an open-dated
        ticket the end of its last valid day (Almaty time). Returns, transfers and their
        deadlines count back from this moment."""
        if self.valid_until is None:
            return self.ticket_type.session.starts_at
        next_day = self.valid_until + timedelta(days=1)
        return datetime.combine(next_day, time.min, tzinfo=timezone.get_current_timezone())


class OrderLog(models.Model):
    """Who moved an order from which status to which, and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="log")
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order log entry")
        verbose_name_plural = _("order log")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)

    @property
    def note_display(self) -> str:
        """The note in the reader's language (``tickets.order_notes``)."""
        from tickets.order_notes import order_note_display  # it reads Order: no import cycle

        return order_note_display(self.note)

    @property
    def actor_display(self) -> str:
        if self.actor_id is not None and self.actor is not None:
            return self.actor.email or str(self.actor)
        return str(ACTOR_LABELS.get(self.actor_label, self.actor_label))


ACTOR_LABELS = {
    "buyer": _("buyer"),
    "system": _("automatically"),
    "organizer": _("organizer"),
    "event cancelled": _("event cancellation"),
    "test provider": _("test payment"),
    "cloudpayments": "CloudPayments",
}


def _status_label(value: str) -> str:
    if not value:
        return "—"
    try:
        return str(Order.Status(value).label)
    except ValueError:
        return value

"""The organizer's refund rules of an event, the sessions' moves and the buyers' refund
requests waiting for the organizer's approval."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session
from tickets.models.orders import MONEY, Order, OrderItem

# A deadline further than this before the session is not a rule a buyer can follow.
MAX_HOURS_BEFORE = 24 * 90


class RefundPolicy(models.Model):
    """How buyers may return tickets of one event. Without a row the category's default applies
    (``tickets.refunds.rules``)."""

    class Fee(models.TextChoices):
        NONE = "none", _("No fee")
        PERCENT = "percent", _("Percentage of the ticket price")
        FIXED = "fixed", _("Fixed amount per ticket")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="refund_policy")
    refundable = models.BooleanField(_("tickets can be returned"), default=True)
    hours_before = models.PositiveIntegerField(
        _("returns accepted until, hours before the session"),
        default=48,
        validators=[MaxValueValidator(MAX_HOURS_BEFORE)],
    )
    fee_kind = models.CharField(_("fee kept"), max_length=10, choices=Fee.choices, default=Fee.NONE)
    fee_value = models.DecimalField(
        _("fee: percent or KZT per ticket"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    keep_service_fee = models.BooleanField(_("keep the portal's service fee"), default=False)
    needs_approval = models.BooleanField(_("I approve each refund myself"), default=False)
    moved_refund_days = models.PositiveSmallIntegerField(
        _("after a session is moved, full refund for (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("refund rules")
        verbose_name_plural = _("refund rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(fee_value__gte=0), name="refund_policy_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(fee_kind="percent") | Q(fee_value__lte=100),
                name="refund_policy_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)


class SessionMove(models.Model):
    """The organizer changed a session's start: its ticket holders may return tickets in full
    for a while (``RefundPolicy.moved_refund_days``)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="moves")
    old_starts_at = models.DateTimeField(_("old start"))
    new_starts_at = models.DateTimeField(_("new start"))
    moved_at = models.DateTimeField(_("moved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session move")
        verbose_name_plural = _("session moves")
        ordering = ["-moved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.old_starts_at} → {self.new_starts_at}"


class RefundRequest(models.Model):
    """A buyer's refund waiting for the organizer's approval (when the organizer asked for it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organizer")
        APPROVED = "approved", _("Approved and refunded")
        REFUSED = "refused", _("Refused")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refund_requests")
    items = models.ManyToManyField(OrderItem, related_name="refund_requests")
    amount = models.DecimalField(_("to return"), **MONEY)
    fee = models.DecimalField(_("fee kept"), **MONEY, default=Decimal("0"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    refund = models.ForeignKey(
        "tickets.Refund", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("organizer's note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refund request")
        verbose_name_plural = _("refund requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="pending"),
                name="refund_request_one_pending_per_order",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(fee__gte=0), name="refund_request_money_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount} ({self.status})"

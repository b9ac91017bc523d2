"""A buyer's cart and the holds it keeps on ticket types until it is checked out or expires."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, TicketType


class Cart(models.Model):
    """Keyed by an unguessable token so it works with a session cookie or a signed URL alike."""

    # Not stored: the cart services set it on a row they have just inserted (it holds nothing).
    is_new = False

    token = models.CharField(_("token"), max_length=64, unique=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promo_code = models.ForeignKey(
        "tickets.PromoCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"cart {self.pk}"


class Reservation(models.Model):
    """Tickets of one type held for a cart until ``expires_at``.

    A hold is *live* while ``released_at`` and ``order`` are empty. Releasing it (expiry or a
    change of mind) sets ``released_at`` with a conditional UPDATE and returns exactly what was
    flagged to ``TicketType.quantity_taken``; checking out hands it over to the order.
    """

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="reservations")
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.CASCADE, related_name="reservations"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    expires_at = models.DateTimeField(_("held until"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    order = models.ForeignKey(
        "tickets.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reservations",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_quantity_pos"),
            models.UniqueConstraint(
                fields=["cart", "ticket_type"],
                condition=Q(released_at__isnull=True, order__isnull=True),
                name="reservation_one_live_per_type",
            ),
        ]
        indexes = [
            models.Index(
                fields=["ticket_type", "expires_at"],
                condition=Q(released_at__isnull=True, order__isnull=True),
                name="reservation_live_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.ticket_type_id} (cart {self.cart_id})"

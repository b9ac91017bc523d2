"""The live claim of one seat in one session: held in a cart, or taken by an order's ticket."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Seat, Session, TicketType


class SeatClaim(models.Model):
    """At most one row per (session, seat): inserting it is what holds the seat.

    A claim with ``order_item`` belongs to a pending or paid ticket and is deleted when that
    ticket is cancelled, refunded or its order expires. A claim without one is a cart hold and
    lives exactly as long as its ``reservation`` (live and not expired); a dead hold is deleted
    by the next buyer who wants the seat.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seat_claims")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="claims")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="+")
    reservation = models.ForeignKey(
        "tickets.Reservation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seat_claims",
    )
    order_item = models.OneToOneField(
        "tickets.OrderItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="seat_claim",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat claim")
        verbose_name_plural = _("seat claims")
        constraints = [
            models.UniqueConstraint(fields=["session", "seat"], name="seat_claim_one_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} @ {self.session_id}"

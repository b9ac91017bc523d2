"""The live claim of one seat in one session: held in a cart, taken by an order's ticket, or
blocked by the organizer."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Seat, Session, TicketType


class SeatClaim(models.Model):
    """At most one row per (session, seat): inserting it is what holds the seat.

    A claim with ``order_item`` belongs to a pending or paid ticket and is deleted when that
    ticket is cancelled, refunded or its order expires. A claim without one is a cart hold and
    lives exactly as long as its ``reservation`` (live and not expired); a dead hold is deleted
    by the next buyer who wants the seat. A claim with ``waitlist_entry`` holds the seat for a
    waiting-list offer for as long as the offer stands. A ``blocked`` claim keeps the seat off
    sale for as long as the organizer's block (``events.SessionSeatBlock``) stands: because
    blocking inserts the same row a hold does, a block and a hold of one seat can never both
    succeed.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seat_claims")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="claims")
    ticket_type = models.ForeignKey(
        TicketType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
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
    # A seat held by a waiting-list offer (``tickets.waitlist``) until the offer is taken (the
    # claim then moves to the buyer's cart hold), expires or is declined (the claim goes).
    waitlist_entry = models.OneToOneField(
        "tickets.WaitlistEntry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="seat_claim",
    )
    blocked = models.BooleanField(_("blocked by the organizer"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat claim")
        verbose_name_plural = _("seat claims")
        constraints = [
            models.UniqueConstraint(fields=["session", "seat"], name="seat_claim_one_per_seat"),
            models.CheckConstraint(
                condition=models.Q(blocked=False, ticket_type__isnull=False)
                | models.Q(blocked=True, reservation__isnull=True, order_item__isnull=True),
                name="seat_claim_blocked_or_for_sale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} @ {self.session_id}"

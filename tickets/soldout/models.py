"""Sell-out episodes: a session's last ticket was sold, and until tickets come back that sell-out
is told to the organizer's webhooks once (``tickets.soldout.services``)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Session


class SoldOutEpisode(models.Model):
    """The session sold out at ``opened_at``; ``closed_at`` when tickets came back on sale (a
    refund, a cancellation, an expiry, more put on sale). At most one open episode a session:
    the constraint backs the lock the opening takes, so one sell-out is one ``event.sold_out``."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="sold_out_episodes")
    opened_at = models.DateTimeField(_("sold out at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("back on sale at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sell-out")
        verbose_name_plural = _("sell-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(closed_at__isnull=True),
                name="sold_out_one_open_episode_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.opened_at:%Y-%m-%d %H:%M}"

"""A person waiting for a sold-out ticket type, and the offer they may get."""

import secrets
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import TicketType

if TYPE_CHECKING:
    from privacy.services.masking import SubjectDisplay


def offer_token_new() -> str:
    """The one-use link's secret: 192 random bits."""
    return secrets.token_urlsafe(24)


class WaitlistEntry(models.Model):
    """One person waiting for one ticket of ``ticket_type``.

    An offer takes one ticket off sale (``quantity_taken``) for ``offer_expires_at``; using
    it moves that ticket into a cart hold, letting it expire puts it back and offers it to the
    next person.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offer sent")
        USED = "used", _("Offer taken")
        EXPIRED = "expired", _("Offer expired")
        LEFT = "left", _("Left the list")

    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, default="ru")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    offer_token = models.CharField(max_length=64, unique=True, default=offer_token_new)
    offered_at = models.DateTimeField(_("offer sent at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    offer_emailed_at = models.DateTimeField(_("offer e-mailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    if TYPE_CHECKING:  # attached by the waiting-list selectors: the e-mail as shown
        shown: SubjectDisplay

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_type", "email"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_live_entry_per_email",
            )
        ]
        indexes = [models.Index(fields=["ticket_type", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.ticket_type_id}: {self.email} ({self.status})"

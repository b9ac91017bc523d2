"""What the event's transfer rules allow for one ticket now, and the rules in words."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tickets.models import Order, OrderItem
from tickets.refunds.rules import period_text
from tickets.transfers.models import TransferRules


@dataclass(frozen=True)
class TransferTerms:
    """The rules in force for an event (no row: transfers are not allowed)."""

    allowed: bool = False
    max_per_ticket: int = 1
    cutoff_hours: int = 24

    @classmethod
    def of(cls, rules: TransferRules | None) -> "TransferTerms":
        if rules is None:
            return cls()
        return cls(rules.allowed, rules.max_per_ticket, rules.cutoff_hours)

    @property
    def lines(self) -> list[str]:
        if not self.allowed:
            return [_("Tickets to this event cannot be given to someone else.")]
        return [
            _("You may give a ticket to someone else up to %(period)s before the session.")
            % {"period": period_text(self.cutoff_hours)},
            ngettext(
                "Each ticket may change hands %(count)d time.",
                "Each ticket may change hands %(count)d times.",
                self.max_per_ticket,
            )
            % {"count": self.max_per_ticket},
        ]

    def refusal(
        self, item: OrderItem, *, order: Order, done: int, now: datetime | None = None
    ) -> str:
        """Why ``item`` cannot be given away now (``done`` transfers so far); empty: it can."""
        now = now or timezone.now()
        starts_at = item.usable_until()
        if not self.allowed:
            return self.lines[0]
        if order.status != Order.Status.PAID or item.status != OrderItem.Status.VALID:
            return _("Only a valid ticket of a paid order can be given to someone else.")
        if item.checked_in_at is not None:
            return _("This ticket has already been used at the entrance.")
        if done >= self.max_per_ticket:
            return _("This ticket has changed hands as many times as the organizer allows.")
        if now > starts_at - timedelta(hours=self.cutoff_hours):
            return _("It is too late to give this ticket away. %(rule)s") % {"rule": self.lines[0]}
        return ""

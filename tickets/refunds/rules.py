"""The refund rules in force for an event and what they give back for a set of tickets.

An event without rules of its own follows its category's default, as Kazakh sellers publish
them (concerts up to two days before, theatre up to three hours before). A cancelled event is
always refunded in full (``order_cancel``); so is a moved session, for the days the organizer
set, whatever the deadline or the fee.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tickets.models import OrderItem
from tickets.refunds.models import RefundPolicy

CENT = Decimal("0.01")
# Hours before the session until which returns are accepted, by category slug.
CATEGORY_HOURS_BEFORE: dict[str, int] = {
    "concerts": 48,
    "theatre": 3,
    "kids": 24,
    "conferences": 72,
}
DEFAULT_HOURS_BEFORE = 24
DEFAULT_MOVED_REFUND_DAYS = 14


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _kzt(value: Decimal) -> str:
    return f"{formats.number_format(_money(value), 0, force_grouping=True)} ₸"


def period_text(hours: int) -> str:
    """“2 days”, “3 hours”, “1 day 6 hours” in the active language."""
    days, rest = divmod(hours, 24)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if rest or not days:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", rest) % {"count": rest})
    return " ".join(parts)


@dataclass(frozen=True)
class RefundRules:
    """The rules in force for one event (its own, or its category's default)."""

    refundable: bool = True
    hours_before: int = DEFAULT_HOURS_BEFORE
    fee_kind: str = RefundPolicy.Fee.NONE
    fee_value: Decimal = Decimal("0")
    keep_service_fee: bool = False
    needs_approval: bool = False
    moved_refund_days: int = DEFAULT_MOVED_REFUND_DAYS
    is_default: bool = True

    @property
    def service_fee_percent(self) -> Decimal:
        return Decimal(str(settings.PORTAL_FEE_PERCENT))

    def deadline(self, starts_at: datetime) -> datetime:
        return starts_at - timedelta(hours=self.hours_before)

    def fee_for(self, amount: Decimal) -> Decimal:
        """What is kept of a ticket that cost ``amount`` (never more than it)."""
        fee = Decimal("0")
        if self.fee_kind == RefundPolicy.Fee.PERCENT:
            fee += amount * self.fee_value / 100
        elif self.fee_kind == RefundPolicy.Fee.FIXED:
            fee += self.fee_value
        if self.keep_service_fee:
            fee += amount * self.service_fee_percent / 100
        return min(_money(fee), amount)

    @property
    def deadline_text(self) -> str:
        if not self.refundable:
            return _("No refunds: tickets to this event cannot be returned.")
        return _("Tickets can be returned up to %(period)s before the session starts.") % {
            "period": period_text(self.hours_before)
        }

    @property
    def lines(self) -> list[str]:
        """The rules as a buyer reads them, in the active language."""
        lines = [self.deadline_text]
        if self.refundable:
            if self.fee_kind == RefundPolicy.Fee.PERCENT and self.fee_value:
                lines.append(
                    _("%(percent)s%% of the ticket price is kept as a fee.")
                    % {"percent": formats.number_format(self.fee_value.normalize())}
                )
            elif self.fee_kind == RefundPolicy.Fee.FIXED and self.fee_value:
                lines.append(
                    _("A fee of %(amount)s per ticket is kept.") % {"amount": _kzt(self.fee_value)}
                )
            if self.keep_service_fee:
                lines.append(
                    _("The portal's service fee (%(percent)s%% of the price) is not returned.")
                    % {"percent": formats.number_format(self.service_fee_percent.normalize())}
                )
            if self.needs_approval:
                lines.append(_("The organizer approves each refund before the money is sent."))
        lines.append(
            ngettext(
                "If the event is cancelled, or a session is moved, the full price is returned "
                "(after a move: within %(days)d day of the notice).",
                "If the event is cancelled, or a session is moved, the full price is returned "
                "(after a move: within %(days)d days of the notice).",
                self.moved_refund_days,
            )
            % {"days": self.moved_refund_days}
        )
        return lines


def rules_from_policy(policy: RefundPolicy | None, *, category_slug: str = "") -> RefundRules:
    """The rules of an event with ``policy`` (or none: the default of its category)."""
    if policy is None:
        hours = CATEGORY_HOURS_BEFORE.get(category_slug, DEFAULT_HOURS_BEFORE)
        return RefundRules(hours_before=hours)
    return RefundRules(
        refundable=policy.refundable,
        hours_before=policy.hours_before,
        fee_kind=policy.fee_kind,
        fee_value=policy.fee_value,
        keep_service_fee=policy.keep_service_fee,
        needs_approval=policy.needs_approval,
        moved_refund_days=policy.moved_refund_days,
        is_default=False,
    )


@dataclass
class TicketRefund:
    """One ticket's return under the rules: the money back and the fee, or why not."""

    item: OrderItem
    fee: Decimal = Decimal("0.00")
    refused: str = ""  # the reason, with the rule quoted; empty when it may be returned
    full_after_move: bool = False

    @property
    def refund(self) -> Decimal:
        return self.item.amount - self.fee


@dataclass
class RefundQuote:
    """What returning some tickets of an order gives back now."""

    rules: RefundRules
    tickets: list[TicketRefund] = field(default_factory=list)

    @property
    def allowed(self) -> list[TicketRefund]:
        return [t for t in self.tickets if not t.refused]

    @property
    def refused(self) -> list[TicketRefund]:
        return [t for t in self.tickets if t.refused]

    @property
    def amount(self) -> Decimal:
        return sum((t.refund for t in self.allowed), Decimal("0.00"))

    @property
    def fee(self) -> Decimal:
        return sum((t.fee for t in self.allowed), Decimal("0.00"))

    @property
    def full_after_move(self) -> bool:
        """Every ticket comes back in full because its session was moved."""
        return bool(self.allowed) and all(t.full_after_move for t in self.allowed)

    @property
    def fingerprint(self) -> str:
        """Carried by the confirmation form: the buyer confirms exactly what was shown."""
        ids = ",".join(str(t.item.pk) for t in self.allowed)
        return f"{ids}:{self.amount}:{self.fee}"


def refund_quote(
    *,
    rules: RefundRules,
    items: Iterable[OrderItem],
    moved_at: dict[int, datetime],
    now: datetime | None = None,
) -> RefundQuote:
    """Apply ``rules`` to valid tickets ``items`` (their ``ticket_type.session`` loaded);
    ``moved_at``: session id → when it was last moved."""
    now = now or timezone.now()
    quote = RefundQuote(rules=rules)
    for item in items:
        session = item.ticket_type.session
        ticket = TicketRefund(item=item)
        moved = moved_at.get(session.pk)
        usable_until = item.usable_until()
        if item.checked_in_at is not None:
            ticket.refused = _("This ticket has already been used at the entrance.")
        elif now >= usable_until and item.is_open_dated:
            ticket.refused = _("The days this ticket was valid are over.")
        elif now >= usable_until:
            ticket.refused = _("The session has already started.")
        elif moved is not None and now <= moved + timedelta(days=rules.moved_refund_days):
            ticket.full_after_move = True
        elif not rules.refundable:
            ticket.refused = rules.deadline_text
        elif now > rules.deadline(usable_until):
            ticket.refused = _("The time for returning this ticket is over. %(rule)s") % {
                "rule": rules.deadline_text
            }
        else:
            ticket.fee = rules.fee_for(item.amount)
        quote.tickets.append(ticket)
    return quote

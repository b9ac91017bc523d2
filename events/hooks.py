"""What the events app needs done by the app that sells its tickets, as explicit calls.

Cancelling an event must cancel or refund its orders; blocking a seat must claim it against
buyers' holds; the cancel confirmation must state the orders and money concerned. These are
not optional plug-ins, so they are not signals (a missing receiver would silently keep paid
orders): the events app names each hook here, the tickets app registers one function per
hook in ``TicketsConfig.ready`` and the events app calls it directly. A system check
(``events.E001``, ``events.checks``) stops start-up when a hook has no function.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Every hook the events app calls, with what the registered function must do.
HOOKS: dict[str, str] = {
    "event_cancelled": (
        "called with event=, inside the transaction that cancels it: cancel or refund the "
        "event's orders, return their tickets to sale and tell the buyers"
    ),
    "event_cancel_figures": (
        "called with event= (a read: nothing may be written): an EventCancelFigures of the "
        "orders, tickets and money cancelling the event would concern"
    ),
    "session_moved": (
        "called with session= and old_starts_at= inside the transaction that moves it: tell "
        "the holders of its valid tickets (new tickets, calendar entry) after commit"
    ),
    "seats_blocked": (
        "called with session= and seat_ids= inside the transaction that blocks them: claim "
        "the seats for the block, or raise LayoutError naming seats held or sold"
    ),
    "capacity_added": (
        "called with ticket_type_ids= inside the transaction that put more of their tickets "
        "on sale (a quantity raised, a new type): end a sell-out of their sessions and offer "
        "them to the people on the waiting list after commit"
    ),
    "seats_unblocked": (
        "called with session= and seat_ids= inside the transaction that unblocks them: "
        "release the seats' claims so they go back on sale"
    ),
    "sale_gate": (
        "called with request=, event_slug= and serve= (a callable rendering the event page; "
        "a read, no database query of its own when the event has no waiting room): the page, "
        "or the response sending a visitor without an admission pass to the sale's queue"
    ),
}


@dataclass(frozen=True)
class EventCancelFigures:
    """What cancelling an event does to its orders."""

    orders: int = 0  # live orders (awaiting payment or paid) that are cancelled or refunded
    paid_orders: int = 0  # of them, paid ones whose money goes back to the buyer
    tickets: int = 0  # valid tickets of those orders that stop working
    refund_amount: Decimal = Decimal("0.00")  # money returned to buyers, KZT

    @property
    def fingerprint(self) -> str:
        """Carried by the confirmation form, so a change meanwhile is noticed."""
        return f"{self.orders}:{self.paid_orders}:{self.tickets}:{self.refund_amount}"

    def __add__(self, other: "EventCancelFigures") -> "EventCancelFigures":
        return EventCancelFigures(
            orders=self.orders + other.orders,
            paid_orders=self.paid_orders + other.paid_orders,
            tickets=self.tickets + other.tickets,
            refund_amount=self.refund_amount + other.refund_amount,
        )


_registered: dict[str, Callable[..., Any]] = {}


def hook_register(name: str, function: Callable[..., Any]) -> None:
    """Register the function the events app calls for hook ``name`` (once, at start-up)."""
    if name not in HOOKS:
        raise ImproperlyConfigured(f"Unknown events hook {name!r}.")
    _registered[name] = function


def hooks_missing() -> list[str]:
    """Names of hooks no function is registered for (the system check reports them)."""
    return [name for name in HOOKS if name not in _registered]


def hook_call(name: str, **kwargs: Any) -> Any:
    """Call the function registered for hook ``name``; a missing one is a configuration
    error, never silently skipped."""
    try:
        function = _registered[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No function is registered for the events hook {name!r}."
        ) from None
    return function(**kwargs)

"""Reads of the waiting list: the organizer's view of an event's list."""

from dataclasses import dataclass, field

from events.models import Event, TicketType
from privacy.services import Subject, subjects_guard
from tickets.waitlist.models import WaitlistEntry


@dataclass
class TypeWaitlist:
    ticket_type: TicketType
    entries: list[WaitlistEntry] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(1 for e in self.entries if e.status == WaitlistEntry.Status.WAITING)


def event_waitlists(*, event: Event) -> list[TypeWaitlist]:
    """Each ticket type of the event with its live and past entries; every entry's ``shown``
    is its e-mail as the organizer may see it (masked while its owner is restricted)."""
    entries = list(
        WaitlistEntry.objects.filter(ticket_type__session__event=event)
        .select_related("ticket_type__session")
        .order_by("ticket_type__session__starts_at", "ticket_type_id", "created_at", "id")
    )
    guard = subjects_guard(Subject(email=e.email) for e in entries)
    lists: dict[int, TypeWaitlist] = {}
    for entry in entries:
        entry.shown = guard.display(email=entry.email)
        lists.setdefault(entry.ticket_type_id, TypeWaitlist(entry.ticket_type)).entries.append(
            entry
        )
    return list(lists.values())

"""Reads of the waiting room's settings for the cabinet."""

from dataclasses import dataclass

from django.http import Http404

from events.models import Event
from organizers.models import Organizer
from tickets.waitroom.models import WaitingRoom


@dataclass(frozen=True)
class RoomRow:
    event: Event
    waiting_room: WaitingRoom | None


def organizer_rooms(*, organizer: Organizer) -> list[RoomRow]:
    """The organizer's events still on sale or in preparation, with their rooms (two queries)."""
    events = list(
        Event.objects.filter(
            organizer=organizer, status__in=[Event.Status.PUBLISHED, Event.Status.DRAFT]
        ).order_by("upcoming_at", "pk")
    )
    rooms = {r.event_id: r for r in WaitingRoom.objects.filter(event_id__in=[e.pk for e in events])}
    return [RoomRow(event=e, waiting_room=rooms.get(e.pk)) for e in events]


def room_event_or_404(*, organizer: Organizer, event_slug: str) -> tuple[Event, WaitingRoom]:
    """The organizer's event and its room (unsaved defaults when it has none yet)."""
    event = Event.objects.filter(organizer=organizer, slug=event_slug).first()
    if event is None:
        raise Http404
    waiting_room = WaitingRoom.objects.filter(event=event).first()
    return event, waiting_room or WaitingRoom(event=event)

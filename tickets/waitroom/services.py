"""Writes of the waiting room: the organizer's settings, and what the queue is told."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from events.models import Event, TicketType
from eventum.cache import CACHE_ERRORS
from tickets.waitroom import room
from tickets.waitroom.models import WaitingRoom

logger = logging.getLogger(__name__)


def _titles(event: Event) -> dict[str, str]:
    return {
        code: getattr(event, f"title_{code}", "") or event.title for code, _ in settings.LANGUAGES
    }


def waitroom_mirror(*, waiting_room: WaitingRoom, reset: bool = False) -> None:
    """Copy the settings into the store the queue reads (after the row is committed)."""
    event = waiting_room.event
    room.config_mirror(
        event_id=event.pk,
        slug=event.slug,
        titles=_titles(event),
        on=waiting_room.enabled,
        opens_at=waiting_room.opens_at.timestamp() if waiting_room.opens_at else 0.0,
        cap_per_minute=waiting_room.admit_per_minute,
        auto=waiting_room.auto_enabled,
        threshold_ms=waiting_room.auto_threshold_ms,
        reset=reset,
    )
    waitroom_sold_out_refresh(event_id=event.pk)


@transaction.atomic
def waitroom_save(
    *,
    event: Event,
    enabled: bool,
    opens_at: datetime | None,
    admit_per_minute: int,
    auto_enabled: bool,
    auto_threshold_ms: int,
) -> WaitingRoom:
    """Save the event's waiting-room settings and put them in force.

    Switching the room on, or moving its opening, starts an empty queue: a new on-sale
    begins, and no one keeps a place (or a random draw) from the previous one."""
    waiting_room, _ = WaitingRoom.objects.select_for_update().get_or_create(event=event)
    reset = enabled and (not waiting_room.enabled or waiting_room.opens_at != opens_at)
    waiting_room.enabled = enabled
    waiting_room.opens_at = opens_at
    waiting_room.admit_per_minute = admit_per_minute
    waiting_room.auto_enabled = auto_enabled
    waiting_room.auto_threshold_ms = auto_threshold_ms
    waiting_room.save()
    transaction.on_commit(lambda: waitroom_mirror(waiting_room=waiting_room, reset=reset))
    return waiting_room


def event_has_tickets_left(*, event_id: int) -> bool:
    """Whether any ticket of the event's coming sessions can still be taken."""
    return TicketType.objects.filter(
        session__event_id=event_id,
        session__starts_at__gt=timezone.now(),
        quantity_taken__lt=F("quantity"),
    ).exists()


def waitroom_sold_out_refresh(*, event_id: int) -> None:
    """Tell the event's queue at once whether anything is left (one indexed query)."""
    room.sold_out_mark(event_id, not event_has_tickets_left(event_id=event_id))


def waitrooms_refresh() -> int:
    """Mirror every room again (a store emptied or replaced) and re-check sold out; the count."""
    done = 0
    for waiting_room in WaitingRoom.objects.select_related("event").filter(
        event__status=Event.Status.PUBLISHED
    ):
        try:
            waitroom_mirror(waiting_room=waiting_room)
        except CACHE_ERRORS as error:
            logger.warning("Waiting room %s not refreshed: %s", waiting_room.event_id, error)
            continue
        done += 1
    return done

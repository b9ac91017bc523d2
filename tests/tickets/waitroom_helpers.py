"""Building waiting rooms for tests: the organizer's settings through the real service."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tickets.waitroom import room
from tickets.waitroom.gate import VISITOR_COOKIE
from tickets.waitroom.services import waitroom_mirror, waitroom_save
from tickets.waitroom.store import PREFIX, MemoryStore, store


def room_on(event, *, opens_in_seconds: float = -60, cap: int = 600, auto: bool = False):
    """Switch the event's waiting room on (the sale opened a minute ago by default)."""
    waiting_room = waitroom_save(
        event=event,
        enabled=True,
        opens_at=timezone.now() + timedelta(seconds=opens_in_seconds),
        admit_per_minute=cap,
        auto_enabled=auto,
        auto_threshold_ms=2000,
    )
    # The service puts the settings in force after commit; a test's transaction never commits.
    waitroom_mirror(waiting_room=waiting_room, reset=True)
    return waiting_room


def automatic_room(event):
    """An automatic waiting room, off until the checkout slows past 1.5 s."""
    waiting_room = waitroom_save(
        event=event,
        enabled=False,
        opens_at=None,
        admit_per_minute=100,
        auto_enabled=True,
        auto_threshold_ms=1500,
    )
    waitroom_mirror(waiting_room=waiting_room)
    return waiting_room


def admit_everyone(event_id: int) -> None:
    """Let every place in so far in, as the pace would after enough time."""
    size = room.store().zcard(room.key(event_id, "q"))
    room.store().hset(
        room.key(event_id, "st"), mapping={"admitted": size, "rate": 600, "tick": 10**10}
    )


def queued_client(event, **extra) -> tuple[Client, str]:
    """A browser that opened the event's queue page; its queue id."""
    client = Client(**extra)
    client.get(reverse("tickets:waitroom_queue", args=[event.pk]))
    return client, client.cookies[VISITOR_COOKIE].value


def admitted_client(event) -> Client:
    """A browser that waited its turn and holds an admission pass."""
    client, _ = queued_client(event)
    admit_everyone(event.pk)
    response = client.get(reverse("tickets:waitroom_queue", args=[event.pk]))
    assert response.status_code == 302, response
    return client


def admission_order(event_id: int) -> list[str]:
    """Every visitor of the queue in the order they are (or will be) admitted."""
    return store().zrange(room.key(event_id, "q"), 0, -1)


def store_clear() -> None:
    """Forget every waiting room's live state (Redis or this process's memory), and which
    events this process found without one."""
    room._no_room_until.clear()
    client = store()
    if isinstance(client, MemoryStore):
        client.flush()
        return
    keys = list(client.scan_iter(match=f"{PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)

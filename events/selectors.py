"""Reads for the public catalogue. Each owns its joins so pages make a bounded number of queries."""

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from events.models import Event, Session, TicketType


def events_upcoming(*, limit: int | None = None) -> QuerySet[Event]:
    """Published events with at least one session still ahead, soonest first."""
    now = timezone.now()
    qs = (
        Event.objects.filter(status=Event.Status.PUBLISHED, sessions__starts_at__gte=now)
        .annotate(next_starts_at=Min("sessions__starts_at"), min_price=Min("sessions__ticket_types__price"))
        .select_related("organizer", "category", "venue__city")
        .order_by("next_starts_at", "id")
    )
    return qs[:limit] if limit else qs


def event_for_public_page(*, slug: str) -> Event:
    """A published (or cancelled/finished) event with its sessions and ticket types."""
    ticket_types = TicketType.objects.order_by("position", "price", "id")
    sessions = Session.objects.order_by("starts_at").prefetch_related(
        Prefetch("ticket_types", queryset=ticket_types)
    )
    return (
        Event.objects.exclude(status=Event.Status.DRAFT)
        .select_related("organizer", "category", "venue__city")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .get(slug=slug)
    )

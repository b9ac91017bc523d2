"""Reads of the organizer's venues for the cabinet."""

from django.db.models import Count, Q, QuerySet

from events.models import Venue
from organizers.models import Organizer


def venues_for_cabinet(*, organizer: Organizer) -> tuple[list[Venue], list[Venue]]:
    """The organizer's own venues and the shared ones its events use, each with ``events``
    (how many of the organizer's events are held there); one query."""
    mine = Q(events__organizer=organizer)
    venues: QuerySet[Venue] = (
        Venue.objects.filter(Q(organizer=organizer) | mine)
        .select_related("city")
        .annotate(events_count=Count("events", filter=mine, distinct=True))
        .order_by("name", "id")
    )
    own: list[Venue] = []
    shared: list[Venue] = []
    for venue in venues:
        (own if venue.organizer_id == organizer.pk else shared).append(venue)
    return own, shared

"""Writes of the organizer's venues."""

from typing import Any

from django.db import transaction

from events.models import Venue
from organizers.models import Organizer


@transaction.atomic
def venue_save(*, organizer: Organizer, venue: Venue | None, data: dict[str, Any]) -> Venue:
    """Create a venue of ``organizer`` or change one of its own: every event held there shows
    the new name, address and map at once."""
    data = {**data, "map_url": data.get("map_url") or ""}
    if venue is None:
        venue = Venue(organizer=organizer, **data)
    else:
        venue = Venue.objects.select_for_update().get(pk=venue.pk, organizer=organizer)
        for name, value in data.items():  # the per-language fields: never the current one's
            setattr(venue, name, value)
    venue.save()
    return venue

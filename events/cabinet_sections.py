"""The events app's part of the organizer's cabinet: the Events link and what waits there
(registered with ``organizers.cabinet`` from ``EventsConfig.ready``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Event
from organizers.cabinet import (
    Attention,
    CabinetLink,
    attention_source_register,
    cabinet_link_register,
)
from organizers.models import Membership, Organizer
from organizers.roles import ROLES_EVENTS


def drafts_attention(organizer: Organizer, membership: Membership) -> list[Attention]:
    """Drafts not yet published (1 query)."""
    drafts = Event.objects.filter(organizer=organizer, status=Event.Status.DRAFT).count()
    if not drafts:
        return []
    message = ngettext(
        "%(count)d event is a draft: buyers see it once you publish it.",
        "%(count)d events are drafts: buyers see them once you publish them.",
        drafts,
    ) % {"count": drafts}
    return [
        Attention(message=message, url=reverse("events_cabinet:event_list", args=[organizer.slug]))
    ]


def cabinet_sections_register() -> None:
    cabinet_link_register(
        CabinetLink(
            label=_("Events"),
            url_name="events_cabinet:event_list",
            roles=ROLES_EVENTS,
            order=10,
            also_current_on=(
                "events_cabinet:event_*",
                "events_cabinet:session_*",
                "events_cabinet:ticket_type_*",
                "tickets:cabinet_question*",
            ),
        )
    )
    cabinet_link_register(
        CabinetLink(
            label=_("Seat maps"),
            url_name="events_cabinet:seat_map_list",
            roles=ROLES_EVENTS,
            order=15,
            also_current_on=("events_cabinet:seat_map_*",),
        )
    )
    cabinet_link_register(
        CabinetLink(
            label=_("Venues"),
            url_name="events_cabinet:venue_list",
            roles=ROLES_EVENTS,
            order=14,
            also_current_on=("events_cabinet:venue_*",),
        )
    )
    attention_source_register("events.drafts", ROLES_EVENTS, drafts_attention)

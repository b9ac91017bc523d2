"""schema.org ``Event`` JSON-LD and OpenGraph facts for the public event page."""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from events.models import Event, Session, TicketType

SCHEMA = "https://schema.org/"
_AVAILABILITY = {
    "sold_out": "SoldOut",
    "few_left": "LimitedAvailability",
    "available": "InStock",
    "not_started": "PreOrder",
    "ended": "SoldOut",
}


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def event_summary(event: Event, length: int = 30) -> str:
    text = " ".join(strip_tags(event.description or "").split())
    return Truncator(text).words(length) if text else event.title


def _offer(ticket_type: TicketType, url: str) -> dict[str, Any]:
    offer = {
        "@type": "Offer",
        "name": ticket_type.name,
        "price": f"{ticket_type.price:.2f}",
        "priceCurrency": "KZT",
        "availability": SCHEMA + _AVAILABILITY[ticket_type.sale_state],
        "url": url,
    }
    if ticket_type.sale_starts_at:
        offer["validFrom"] = ticket_type.sale_starts_at.isoformat()
    return offer


def _session_event(
    event: Event, session: Session, request: HttpRequest, url: str
) -> dict[str, Any]:
    venue = event.venue
    place: dict[str, Any] = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "addressLocality": venue.city.name,
            "addressCountry": "KZ",
        },
    }
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event_summary(event, 60),
        "url": url,
        "startDate": session.starts_at.isoformat(),
        "eventStatus": SCHEMA
        + ("EventCancelled" if event.status == Event.Status.CANCELLED else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": place,
        "organizer": {
            "@type": "Organization",
            "name": event.organizer.public_name,
            "url": _absolute(request, event.organizer.get_absolute_url()),
        },
        "offers": [_offer(tt, url) for tt in session.ticket_types.all()],
        "typicalAgeRange": event.age_rating.rstrip("+") + "-",
    }
    if session.ends_at:
        data["endDate"] = session.ends_at.isoformat()
    if session.doors_open_at:
        data["doorTime"] = session.doors_open_at.isoformat()
    if event.cover:
        data["image"] = [_absolute(request, event.cover.url)]
    return data


def event_json_ld(event: Event, request: HttpRequest) -> SafeString:
    """One schema.org ``Event`` per session, safe to place inside ``<script>``."""
    url = _absolute(request, event.get_absolute_url())
    sessions = getattr(event, "listed", None)
    if sessions is None:
        sessions = event.sessions.all()
    items = [_session_event(event, session, request, url) for session in sessions]
    payload = items[0] if len(items) == 1 else items
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # JSON with <, > and & escaped: cannot close the script tag


def event_open_graph(event: Event, request: HttpRequest) -> dict[str, str]:
    facts = {
        "og:type": "website",
        "og:site_name": "eventum",
        "og:title": event.title,
        "og:description": event_summary(event),
        "og:url": _absolute(request, event.get_absolute_url()),
    }
    if event.cover:
        image = event.cover_card or event.cover
        facts["og:image"] = _absolute(request, image.url)
    return facts

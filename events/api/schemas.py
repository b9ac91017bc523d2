"""What the catalogue endpoints answer (field names are part of the API: change with care)."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Schema

from events.models import Event, Session, TicketType


class Named(Schema):
    slug: str
    name: str


class OrganizerOut(Schema):
    slug: str
    name: str


class VenueOut(Schema):
    name: str
    address: str
    city: Named
    latitude: Decimal | None
    longitude: Decimal | None


class EventCardOut(Schema):
    slug: str
    title: str
    status: str
    age_rating: str
    category: Named
    city: Named
    venue: str
    organizer: OrganizerOut
    next_starts_at: datetime | None
    min_price: Decimal | None
    tickets_left: int
    currency: str = "KZT"
    image_url: str | None
    url: str


class TicketTypeOut(Schema):
    id: int
    name: str
    price: Decimal
    currency: str = "KZT"
    available: int
    sale_state: str
    on_sale: bool
    max_per_order: int
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None


class SessionOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime | None
    doors_open_at: datetime | None
    seated: bool
    ticket_types: list[TicketTypeOut]


class EventOut(Schema):
    slug: str
    title: str
    description: str
    status: str
    age_rating: str
    category: Named
    venue: VenueOut
    organizer: OrganizerOut
    image_url: str | None
    url: str
    sessions: list[SessionOut]


class EventListOut(Schema):
    items: list[EventCardOut]
    next_cursor: str | None


class SessionListOut(Schema):
    items: list[SessionOut]


class AvailabilityOut(Schema):
    session_id: int
    ticket_types: list[TicketTypeOut]


CENT = Decimal("0.01")


def money(amount: Decimal | None) -> Decimal | None:
    """Tenge with two decimals (``"5000.00"``), whatever the database returned."""
    return None if amount is None else Decimal(amount).quantize(CENT)


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _image(request: HttpRequest, field: object) -> str | None:
    return _absolute(request, field.url) if field else None  # type: ignore[attr-defined]


def _organizer(event: Event) -> OrganizerOut:
    return OrganizerOut(slug=event.organizer.slug, name=event.organizer.public_name)


def event_card(request: HttpRequest, event: Event) -> EventCardOut:
    """A catalogue row (``events.selectors.catalogue`` annotations included)."""
    city = event.venue.city
    return EventCardOut(
        slug=event.slug,
        title=event.title,
        status=event.status,
        age_rating=event.age_rating,
        category=Named(slug=event.category.slug, name=event.category.name),
        city=Named(slug=city.slug, name=city.name),
        venue=event.venue.name,
        organizer=_organizer(event),
        next_starts_at=getattr(event, "next_starts_at", None),
        min_price=money(getattr(event, "min_price", None)),
        tickets_left=getattr(event, "tickets_left", 0) or 0,
        image_url=_image(request, event.cover_thumbnail),
        url=_absolute(request, event.get_absolute_url()),
    )


def ticket_type_out(ticket_type: TicketType, *, now: datetime) -> TicketTypeOut:
    return TicketTypeOut(
        id=ticket_type.pk,
        name=ticket_type.name,
        price=money(ticket_type.price),
        available=ticket_type.quantity_available,
        sale_state=ticket_type.sale_state,
        on_sale=ticket_type.is_on_sale(now) and not ticket_type.is_sold_out,
        max_per_order=ticket_type.max_per_order,
        sale_starts_at=ticket_type.sale_starts_at,
        sale_ends_at=ticket_type.sale_ends_at,
    )


def session_out(session: Session, *, now: datetime, seated: set[int]) -> SessionOut:
    return SessionOut(
        id=session.pk,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        doors_open_at=session.doors_open_at,
        seated=session.pk in seated,
        ticket_types=[ticket_type_out(t, now=now) for t in session.ticket_types.all()],
    )


def event_out(request: HttpRequest, event: Event, *, now: datetime, seated: set[int]) -> EventOut:
    venue = event.venue
    return EventOut(
        slug=event.slug,
        title=event.title,
        description=event.description,
        status=event.status,
        age_rating=event.age_rating,
        category=Named(slug=event.category.slug, name=event.category.name),
        venue=VenueOut(
            name=venue.name,
            address=venue.address,
            city=Named(slug=venue.city.slug, name=venue.city.name),
            latitude=venue.latitude,
            longitude=venue.longitude,
        ),
        organizer=_organizer(event),
        image_url=_image(request, event.cover_card),
        url=_absolute(request, event.get_absolute_url()),
        sessions=[session_out(s, now=now, seated=seated) for s in event.sessions.all()],
    )

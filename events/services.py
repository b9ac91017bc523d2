"""Writes of the events app: each service is one transaction and raises ``EventError``s whose
message is shown to the organizer as is."""

from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import ProtectedError, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from events.hooks import hook_call
from events.images import cover_copy, cover_process
from events.models import Event, Session, SessionSeatPrice, TicketType, Venue
from events.seating.services import session_seating_copy
from organizers.models import Organizer
from organizers.slugs import unique_slug

EVENT_SLUG_MAX = 120


class EventError(Exception):
    """An action the rules do not allow; ``str(error)`` is a translated message and ``code`` a
    stable machine name of the reason (the API answers with it)."""

    def __init__(self, message: str, *, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.code = code


def _venue_for(*, organizer: Organizer, data: dict[str, Any]) -> Venue:
    """The chosen venue of the organizer, or its venue with that Russian name and address in
    that city (created if new; its translations, map link and coordinates updated)."""
    if "venue" in data:
        venue = data["venue"]
        if venue.organizer_id != organizer.pk:
            raise EventError(_("Choose one of your venues."))
        return cast(Venue, venue)
    details = {
        "name_kk": data.get("name_kk") or None,
        "name_en": data.get("name_en") or None,
        "address_kk": data.get("address_kk") or None,
        "address_en": data.get("address_en") or None,
        "map_url": data.get("map_url") or "",
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
    }
    venue = Venue.objects.filter(
        organizer=organizer,
        name_ru=data["name_ru"],
        city=data["city"],
        address_ru=data["address_ru"],
    ).first()
    if venue is None:
        venue = Venue(
            organizer=organizer,
            city=data["city"],
            name=data["name_ru"],
            name_ru=data["name_ru"],
            address=data["address_ru"],
            address_ru=data["address_ru"],
        )
    changed = [name for name, value in details.items() if getattr(venue, name) != value]
    for name in changed:
        setattr(venue, name, details[name])
    if venue.pk is None or changed:
        venue.save()
    return venue


@transaction.atomic
def event_create(
    *, organizer: Organizer, data: dict[str, Any], venue_data: dict[str, Any]
) -> Event:
    """A draft event of ``organizer``; its slug comes from the Russian title."""
    if not organizer.is_profile_complete:
        raise EventError(_("Complete the legal profile before creating events."))
    event = Event(organizer=organizer, status=Event.Status.DRAFT, **data)
    event.venue = _venue_for(organizer=organizer, data=venue_data)
    event.slug = unique_slug(Event, data["title_ru"], max_length=EVENT_SLUG_MAX, fallback="event")
    event.save()
    if event.cover:
        cover_process(event)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    data: dict[str, Any],
    venue_data: dict[str, Any],
    cover_changed: bool = False,
) -> Event:
    """Change texts, category, venue or cover of a draft or published event (the slug stays)."""
    if not event.is_editable:
        raise EventError(_("A cancelled or finished event cannot be changed."))
    for name, value in data.items():
        setattr(event, name, value)
    event.venue = _venue_for(organizer=event.organizer, data=venue_data)
    event.save()
    if cover_changed:
        cover_process(event)
    return event


@transaction.atomic
def event_duplicate(*, event: Event) -> Event:
    """A draft copy with the same texts, sessions and ticket types, nothing sold."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy.slug = unique_slug(
        Event, event.title_ru or event.title, max_length=EVENT_SLUG_MAX, fallback="event"
    )
    copy.status = Event.Status.DRAFT
    copy.published_at = None
    copy.cancelled_at = None
    copy.cover = copy.cover_card = copy.cover_thumbnail = ""
    copy.cover_renditions = {}
    copy.save()
    sessions = event.sessions.prefetch_related("ticket_types").order_by("starts_at", "id")
    for session in sessions:
        ticket_types = list(session.ticket_types.all())
        source_session_id = session.pk
        session.pk = session.id = None
        session.event = copy
        session.save()
        copies = {}
        for ticket_type in ticket_types:
            source_id = ticket_type.pk
            ticket_type.pk = ticket_type.id = None
            ticket_type.session = session
            ticket_type.quantity_taken = 0
            ticket_type.save()
            copies[source_id] = ticket_type
        session_seating_copy(source_session_id=source_session_id, target=session, copies=copies)
    cover_copy(source=event, target=copy)
    return copy


def _publish_problems(event: Event) -> list[str]:
    problems = []
    organizer = event.organizer
    if not organizer.can_publish_free:
        problems.append(_("The organizer's legal profile is rejected or incomplete."))
    upcoming = list(
        event.sessions.filter(starts_at__gt=timezone.now()).prefetch_related("ticket_types")
    )
    if not upcoming:
        problems.append(_("Add a session in the future."))
    elif not any(session.ticket_types.all() for session in upcoming):
        problems.append(_("Add at least one ticket type to a session."))
    has_paid = TicketType.objects.filter(session__event=event, price__gt=0).exists()
    if has_paid and not organizer.can_publish_paid:
        problems.append(_("Paid tickets can be sold once staff verify your legal profile."))
    return problems


@transaction.atomic
def event_publish(*, event: Event) -> Event:
    """Put a draft on sale: it needs a future session with tickets, and a verified organizer
    when any ticket is paid."""
    event = Event.objects.select_for_update().select_related("organizer").get(pk=event.pk)
    if event.status != Event.Status.DRAFT:
        raise EventError(_("Only a draft can be published."))
    problems = _publish_problems(event)
    if problems:
        raise EventError(" ".join(problems))
    event.status = Event.Status.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    return event


@transaction.atomic
def event_unpublish(*, event: Event) -> Event:
    """Back to draft, hidden from buyers; refused once tickets are sold or reserved."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.PUBLISHED:
        raise EventError(_("Only a published event can be unpublished."))
    taken = TicketType.objects.filter(session__event=event).aggregate(n=Sum("quantity_taken"))
    if taken["n"]:
        raise EventError(
            _("Tickets are already sold or reserved: cancel the event instead of unpublishing it.")
        )
    event.status = Event.Status.DRAFT
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel the event. The ``event_cancelled`` hook runs inside this transaction: the tickets
    app cancels the orders and refunds in the same commit (or nothing is cancelled)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise EventError(_("This event is already cancelled."), code="already_cancelled")
    if event.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        raise EventError(_("This event cannot be cancelled any more."), code="event_finished")
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.save(update_fields=["status", "cancelled_at", "updated_at"])
    hook_call("event_cancelled", event=event)
    return event


@transaction.atomic
def events_mark_finished(*, now: datetime | None = None) -> int:
    """Published events whose every session has started (or ended) become finished."""
    now = now or timezone.now()
    # A service selling open-dated tickets keeps running whatever its slots.
    still_running = (
        Q(sessions__ends_at__gt=now)
        | Q(sessions__ends_at__isnull=True, sessions__starts_at__gt=now)
        | Q(sessions__is_open_dated=True)
    )
    finished = (
        Event.objects.filter(status=Event.Status.PUBLISHED, sessions__isnull=False)
        .exclude(pk__in=Event.objects.filter(still_running).values("pk"))
        .values_list("pk", flat=True)
        .distinct()
    )
    return Event.objects.filter(pk__in=list(finished)).update(status=Event.Status.FINISHED)


def _ensure_editable(event: Event) -> None:
    if not event.is_editable:
        raise EventError(_("A cancelled or finished event cannot be changed."))


@transaction.atomic
def session_create(*, event: Event, data: dict[str, Any]) -> Session:
    _ensure_editable(event)
    return Session.objects.create(event=event, **data)


@transaction.atomic
def session_update(*, session: Session, data: dict[str, Any]) -> Session:
    """Move a session; ticket types whose sale ended at the old start move along with it, and
    the holders of its tickets are told (the ``session_moved`` hook)."""
    _ensure_editable(session.event)
    # A bound ModelForm has already copied the new values onto ``session``: read the old start.
    old_start = Session.objects.values_list("starts_at", flat=True).get(pk=session.pk)
    for name, value in data.items():
        setattr(session, name, value)
    session.save()
    if old_start != session.starts_at:
        session.ticket_types.filter(sale_ends_at=old_start).update(sale_ends_at=session.starts_at)
        hook_call("session_moved", session=session, old_starts_at=old_start)
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    _ensure_editable(session.event)
    if session.ticket_types.filter(quantity_taken__gt=0).exists():
        raise EventError(_("Tickets to this session are sold or reserved: it cannot be deleted."))
    try:
        session.delete()
    except ProtectedError:
        raise EventError(_("This session has orders: it cannot be deleted.")) from None


@transaction.atomic
def ticket_type_create(*, session: Session, data: dict[str, Any]) -> TicketType:
    """A ticket type; without a sale end it is on sale until the session starts."""
    _ensure_editable(session.event)
    ticket_type = TicketType(session=session, **data)
    if ticket_type.sale_ends_at is None and not session.is_open_dated:
        ticket_type.sale_ends_at = session.starts_at
    ticket_type.quantity_taken = 0
    ticket_type.save()
    if ticket_type.quantity > 0:  # more on sale in the session: a sell-out of it is over
        hook_call("capacity_added", ticket_type_ids=[ticket_type.pk])
    return ticket_type


@transaction.atomic
def ticket_type_update(*, ticket_type: TicketType, data: dict[str, Any]) -> TicketType:
    """Change a ticket type. The quantity is written with a conditional UPDATE so a sale made
    meanwhile can never leave it below what is taken."""
    _ensure_editable(ticket_type.session.event)
    data = dict(data)
    if data.get("sale_ends_at") is None and not ticket_type.session.is_open_dated:
        data["sale_ends_at"] = ticket_type.session.starts_at
    quantity = data.pop("quantity")
    if SessionSeatPrice.objects.filter(ticket_type=ticket_type).exists():
        quantity = ticket_type.quantity  # a seated type is on sale for its unblocked seats
    before = TicketType.objects.select_for_update().values_list("quantity", flat=True)
    was = before.get(pk=ticket_type.pk)
    updated = TicketType.objects.filter(pk=ticket_type.pk, quantity_taken__lte=quantity).update(
        quantity=quantity
    )
    if not updated:
        raise EventError(_("More tickets are already sold or reserved than this quantity."))
    if quantity > was:  # more on sale: those waiting for this type hear first
        hook_call("capacity_added", ticket_type_ids=[ticket_type.pk])
    ticket_type.refresh_from_db(fields=["quantity", "quantity_taken"])
    for name, value in data.items():
        setattr(ticket_type, name, value)
    ticket_type.save(update_fields=list(data))
    return ticket_type


@transaction.atomic
def ticket_type_delete(*, ticket_type: TicketType) -> None:
    _ensure_editable(ticket_type.session.event)
    try:
        deleted, _rows = TicketType.objects.filter(pk=ticket_type.pk, quantity_taken=0).delete()
    except ProtectedError:
        deleted = 0
    if not deleted:
        raise EventError(_("Tickets of this type are sold or reserved: it cannot be deleted."))

"""``/api/v1/organizer/...`` writes: events, sessions and ticket types made and changed by an
organizer's system (API key with the ``events:write`` scope).

Every write goes through the cabinet's own forms and services, so the rules and the messages
are the cabinet's: the JSON body is handed to ``EventForm``/``SessionForm``/``TicketTypeForm``
as their fields, a change (PATCH) starts from the stored values, and the form's errors come back
as ``validation_error`` with the field in ``details``. Times are ISO 8601; they are read in the
portal's time zone when they carry no offset."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema, Status

from events import services
from events.api.organizer import OrganizerEventDetailOut, organizer_event_detail, router
from events.api.schemas import SessionOut, TicketTypeOut, session_out, ticket_type_out
from events.forms import DATETIME_LOCAL, EventForm, SessionForm, TicketTypeForm
from events.models import Event, Session, TicketType
from events.selectors import sessions_seated
from eventum.api.auth import key_with_scope
from eventum.api.errors import ApiError, error_responses, form_invalid
from organizers.models import Organizer

# The organizer events' own router: a path shared with its reads (``/organizer/events``) must
# be one route answering every method.

EVENTS_WRITE = "events:write"


class EventIn(Schema):
    title_ru: str | None = None
    title_kk: str | None = None
    title_en: str | None = None
    description_ru: str | None = None
    description_kk: str | None = None
    description_en: str | None = None
    kind: str | None = None
    category: int | None = None
    age_rating: str | None = None
    asks_postal_address: bool | None = None
    allow_company_purchases: bool | None = None
    allow_bank_transfer: bool | None = None
    bank_transfer_min_tickets: int | None = None
    bank_transfer_days: int | None = None
    venue: int | None = None
    venue_name: str | None = None
    venue_name_kk: str | None = None
    venue_name_en: str | None = None
    venue_city: int | None = None
    venue_address: str | None = None
    venue_address_kk: str | None = None
    venue_address_en: str | None = None
    venue_map_url: str | None = None
    venue_latitude: Decimal | None = None
    venue_longitude: Decimal | None = None


class SessionIn(Schema):
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    doors_open_at: datetime | None = None


class TicketTypeIn(Schema):
    name_ru: str | None = None
    name_kk: str | None = None
    name_en: str | None = None
    price: Decimal | None = None
    quantity: int | None = None
    sale_starts_at: datetime | None = None
    sale_ends_at: datetime | None = None
    max_per_order: int | None = None
    position: int | None = None


class SessionWrittenOut(Schema):
    event_id: int
    session: SessionOut


class TicketTypeWrittenOut(Schema):
    session_id: int
    ticket_type: TicketTypeOut


def _form_value(value: Any) -> Any:
    """A JSON value as the cabinet's form field reads it."""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return timezone.localtime(value).strftime(DATETIME_LOCAL)
    return value


def _form_data(form: forms.BaseForm, body: Schema) -> dict[str, Any]:
    """The stored values (for a change; for a new one the defaults the cabinet's form shows)
    overlaid with those sent."""
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {name: value() if callable(value) else value for name, value in data.items()}
    data.update(
        {
            name: _form_value(value)
            for name, value in body.dict(exclude_unset=True).items()
            if name in form.fields
        }
    )
    return {name: value for name, value in data.items() if value is not None}


def _refused(error: Exception) -> ApiError:
    return ApiError("not_allowed", str(error), status=409)


def _own_event(organizer: Organizer, event_id: int) -> Event:
    event = (
        Event.objects.select_related("organizer", "venue").filter(organizer=organizer, pk=event_id)
    ).first()
    if event is None:
        raise ApiError("event_not_found", _("No such event."), status=404)
    return event


def _own_session(organizer: Organizer, session_id: int) -> Session:
    session = (
        Session.objects.select_related("event__organizer")
        .filter(event__organizer=organizer, pk=session_id)
        .first()
    )
    if session is None:
        raise ApiError("session_not_found", _("No such session."), status=404)
    return session


def _own_ticket_type(organizer: Organizer, ticket_type_id: int) -> TicketType:
    ticket_type = (
        TicketType.objects.select_related("session__event__organizer")
        .filter(session__event__organizer=organizer, pk=ticket_type_id)
        .first()
    )
    if ticket_type is None:
        raise ApiError("ticket_type_not_found", _("No such ticket type."), status=404)
    return ticket_type


def _session_written(session: Session) -> SessionWrittenOut:
    seated = sessions_seated(session_ids=[session.pk])
    return SessionWrittenOut(
        event_id=session.event_id, session=session_out(session, now=timezone.now(), seated=seated)
    )


def _ticket_type_written(ticket_type: TicketType) -> TicketTypeWrittenOut:
    return TicketTypeWrittenOut(
        session_id=ticket_type.session_id,
        ticket_type=ticket_type_out(ticket_type, now=timezone.now()),
    )


WRITE_ERRORS = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/organizer/events",
    response={201: OrganizerEventDetailOut, **WRITE_ERRORS},
    url_name="api_organizer_event_create",
    summary="Create a draft event (the cabinet's rules; a venue by id or typed in)",
)
def organizer_event_create(request: HttpRequest, body: EventIn) -> Status:
    key = key_with_scope(request, EVENTS_WRITE)
    form = EventForm(organizer=key.organizer)
    form = EventForm(_form_data(form, body), organizer=key.organizer)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        event = services.event_create(
            organizer=key.organizer, data=form.event_data(), venue_data=form.venue_data()
        )
    except services.EventError as error:
        raise _refused(error) from error
    return Status(201, organizer_event_detail(organizer=key.organizer, event_id=event.pk))


@router.patch(
    "/organizer/events/{event_id}",
    response={200: OrganizerEventDetailOut, **WRITE_ERRORS},
    url_name="api_organizer_event_update",
    summary="Change an event: only the fields sent change",
)
def organizer_event_update(
    request: HttpRequest, event_id: int, body: EventIn
) -> OrganizerEventDetailOut:
    key = key_with_scope(request, EVENTS_WRITE)
    event = _own_event(key.organizer, event_id)
    if not event.is_editable:
        raise ApiError(
            "not_allowed", _("A cancelled or finished event cannot be changed."), status=409
        )
    form = EventForm(instance=event, organizer=key.organizer)
    form = EventForm(_form_data(form, body), instance=event, organizer=key.organizer)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        services.event_update(event=event, data=form.event_data(), venue_data=form.venue_data())
    except services.EventError as error:
        raise _refused(error) from error
    return organizer_event_detail(organizer=key.organizer, event_id=event.pk)


@router.post(
    "/organizer/events/{event_id}/sessions",
    response={201: SessionWrittenOut, **WRITE_ERRORS},
    url_name="api_organizer_session_create",
    summary="Add a session to an event",
)
def organizer_session_create(request: HttpRequest, event_id: int, body: SessionIn) -> Status:
    key = key_with_scope(request, EVENTS_WRITE)
    event = _own_event(key.organizer, event_id)
    form = SessionForm(event=event)
    form = SessionForm(_form_data(form, body), event=event)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        session = services.session_create(event=event, data=form.cleaned_data)
    except services.EventError as error:
        raise _refused(error) from error
    return Status(201, _session_written(session))


@router.patch(
    "/organizer/sessions/{session_id}",
    response={200: SessionWrittenOut, **WRITE_ERRORS},
    url_name="api_organizer_session_update",
    summary="Change or move a session (ticket holders are told of a move, as from the cabinet)",
)
def organizer_session_update(
    request: HttpRequest, session_id: int, body: SessionIn
) -> SessionWrittenOut:
    key = key_with_scope(request, EVENTS_WRITE)
    session = _own_session(key.organizer, session_id)
    form = SessionForm(instance=session, event=session.event)
    form = SessionForm(_form_data(form, body), instance=session, event=session.event)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        session = services.session_update(session=session, data=form.cleaned_data)
    except services.EventError as error:
        raise _refused(error) from error
    return _session_written(session)


@router.post(
    "/organizer/sessions/{session_id}/ticket-types",
    response={201: TicketTypeWrittenOut, **WRITE_ERRORS},
    url_name="api_organizer_ticket_type_create",
    summary="Add a ticket type to a session",
)
def organizer_ticket_type_create(
    request: HttpRequest, session_id: int, body: TicketTypeIn
) -> Status:
    key = key_with_scope(request, EVENTS_WRITE)
    session = _own_session(key.organizer, session_id)
    form = TicketTypeForm(session=session)
    form = TicketTypeForm(_form_data(form, body), session=session)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        ticket_type = services.ticket_type_create(session=session, data=form.cleaned_data)
    except services.EventError as error:
        raise _refused(error) from error
    return Status(201, _ticket_type_written(ticket_type))


@router.patch(
    "/organizer/ticket-types/{ticket_type_id}",
    response={200: TicketTypeWrittenOut, **WRITE_ERRORS},
    url_name="api_organizer_ticket_type_update",
    summary="Change a ticket type (never below the tickets already taken)",
)
def organizer_ticket_type_update(
    request: HttpRequest, ticket_type_id: int, body: TicketTypeIn
) -> TicketTypeWrittenOut:
    key = key_with_scope(request, EVENTS_WRITE)
    ticket_type = _own_ticket_type(key.organizer, ticket_type_id)
    session = ticket_type.session
    form = TicketTypeForm(instance=ticket_type, session=session)
    form = TicketTypeForm(_form_data(form, body), instance=ticket_type, session=session)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        ticket_type = services.ticket_type_update(ticket_type=ticket_type, data=form.cleaned_data)
    except services.EventError as error:
        raise _refused(error) from error
    return _ticket_type_written(ticket_type)


@router.post(
    "/organizer/events/{event_id}/publish",
    response={200: OrganizerEventDetailOut, **WRITE_ERRORS},
    url_name="api_organizer_event_publish",
    summary="Put a draft on sale (the cabinet's rules; the reasons come back when refused)",
)
def organizer_event_publish(request: HttpRequest, event_id: int) -> OrganizerEventDetailOut:
    key = key_with_scope(request, EVENTS_WRITE)
    event = _own_event(key.organizer, event_id)
    try:
        services.event_publish(event=event)
    except services.EventError as error:
        raise ApiError("publish_refused", str(error), status=409) from error
    return organizer_event_detail(organizer=key.organizer, event_id=event.pk)


@router.post(
    "/organizer/events/{event_id}/unpublish",
    response={200: OrganizerEventDetailOut, **WRITE_ERRORS},
    url_name="api_organizer_event_unpublish",
    summary="Take a published event back to drafts (refused once tickets are taken)",
)
def organizer_event_unpublish(request: HttpRequest, event_id: int) -> OrganizerEventDetailOut:
    key = key_with_scope(request, EVENTS_WRITE)
    event = _own_event(key.organizer, event_id)
    try:
        services.event_unpublish(event=event)
    except services.EventError as error:
        raise ApiError("unpublish_refused", str(error), status=409) from error
    return organizer_event_detail(organizer=key.organizer, event_id=event.pk)


@router.post(
    "/organizer/events/{event_id}/cancel",
    response={200: OrganizerEventDetailOut, **WRITE_ERRORS},
    url_name="api_organizer_event_cancel",
    summary="Cancel an event: its pending orders are cancelled, its paid ones refunded",
    description=(
        "The cabinet's cancellation: the buyers are told, their money goes back (a refund the "
        "provider refuses leaves that order paid and flagged for review). An event is never "
        "deleted: once it has buyers it is cancelled. Refused with `already_cancelled` or "
        "`event_finished`."
    ),
)
def organizer_event_cancel(request: HttpRequest, event_id: int) -> OrganizerEventDetailOut:
    key = key_with_scope(request, EVENTS_WRITE)
    event = _own_event(key.organizer, event_id)
    try:
        services.event_cancel(event=event)
    except services.EventError as error:
        raise ApiError(error.code, str(error), status=409) from error
    return organizer_event_detail(organizer=key.organizer, event_id=event.pk)


@router.delete(
    "/organizer/sessions/{session_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="api_organizer_session_delete",
    summary="Delete a session with no tickets sold or reserved",
)
def organizer_session_delete(request: HttpRequest, session_id: int) -> Status:
    key = key_with_scope(request, EVENTS_WRITE)
    session = _own_session(key.organizer, session_id)
    try:
        services.session_delete(session=session)
    except services.EventError as error:
        raise ApiError("delete_refused", str(error), status=409) from error
    return Status(204, None)


@router.delete(
    "/organizer/ticket-types/{ticket_type_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="api_organizer_ticket_type_delete",
    summary="Delete a ticket type with no tickets sold or reserved",
)
def organizer_ticket_type_delete(request: HttpRequest, ticket_type_id: int) -> Status:
    key = key_with_scope(request, EVENTS_WRITE)
    ticket_type = _own_ticket_type(key.organizer, ticket_type_id)
    try:
        services.ticket_type_delete(ticket_type=ticket_type)
    except services.EventError as error:
        raise ApiError("delete_refused", str(error), status=409) from error
    return Status(204, None)

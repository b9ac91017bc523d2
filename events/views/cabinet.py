"""The cabinet's event pages: owners and managers create, edit, publish and cancel events and
manage their sessions and ticket types. Everything is looked up through ``request.organizer``,
so another organizer's object is a 404.

Destructive actions (cancel, delete) are two steps: a GET, or a POST without ``confirm``, shows
what will happen; only the confirming POST acts. Cancelling an event is confirmed by typing its
title."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import services
from events.forms import EventCancelForm, EventForm, SessionForm, TicketTypeForm
from events.models import Event, Session, TicketType
from events.selectors import (
    event_cancel_figures,
    event_for_cabinet,
    events_for_cabinet,
    session_delete_figures,
)
from organizers.permissions import ROLES_EVENTS, organizer_object_or_404, organizer_role_required


def _event(request: HttpRequest, pk: int) -> Event:
    try:
        return event_for_cabinet(organizer=request.organizer, pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def _session(request: HttpRequest, pk: int) -> Session:
    return organizer_object_or_404(
        Session.objects.select_related("event__organizer"),
        organizer=request.organizer,
        organizer_field="event__organizer",
        pk=pk,
    )


def _ticket_type(request: HttpRequest, pk: int) -> TicketType:
    return organizer_object_or_404(
        TicketType.objects.select_related("session__event__organizer"),
        organizer=request.organizer,
        organizer_field="session__event__organizer",
        pk=pk,
    )


def _to_event(event: Event) -> HttpResponse:
    return redirect("events_cabinet:event_detail", organizer_slug=event.organizer.slug, pk=event.pk)


def _confirmed(request: HttpRequest) -> bool:
    """The second step of a destructive action: a POST from its confirmation page."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@organizer_role_required(*ROLES_EVENTS)
def event_list(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    events = events_for_cabinet(organizer=request.organizer)
    return render(request, "events/cabinet/event_list.html", {"events": events})


@organizer_role_required(*ROLES_EVENTS)
def event_create(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    form = EventForm(request.POST or None, request.FILES or None, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                organizer=request.organizer, data=form.event_data(), venue_data=form.venue_data()
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft saved. Now add sessions and ticket types."))
            return _to_event(event)
    return render(request, "events/cabinet/event_form.html", {"form": form, "event": None})


@organizer_role_required(*ROLES_EVENTS)
def event_detail(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return render(request, "events/cabinet/event_detail.html", {"event": event})


@organizer_role_required(*ROLES_EVENTS)
def event_edit(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if not event.is_editable:
        messages.error(request, _("A cancelled or finished event cannot be changed."))
        return _to_event(event)
    form = EventForm(
        request.POST or None, request.FILES or None, instance=event, organizer=request.organizer
    )
    if request.method == "POST" and form.is_valid():
        services.event_update(
            event=event,
            data=form.event_data(),
            venue_data=form.venue_data(),
            cover_changed="cover" in form.changed_data,
        )
        messages.success(request, _("Event saved."))
        return _to_event(event)
    return render(request, "events/cabinet/event_form.html", {"form": form, "event": event})


def _action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    event = _event(request, pk)
    try:
        event = action(event=event)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _to_event(event)


@require_POST
@organizer_role_required(*ROLES_EVENTS)
def event_publish(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    return _action(request, pk, services.event_publish, _("The event is published."))


@require_POST
@organizer_role_required(*ROLES_EVENTS)
def event_unpublish(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    return _action(request, pk, services.event_unpublish, _("The event is back in drafts."))


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_EVENTS)
def event_cancel(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """States the orders, tickets and money the cancellation touches; cancels only when the
    organizer types the event's title and the figures are still the ones shown."""
    event = _event(request, pk)
    if not event.is_editable:
        messages.error(request, _("This event cannot be cancelled any more."))
        return _to_event(event)
    figures = event_cancel_figures(event=event)
    form = EventCancelForm(
        request.POST if request.method == "POST" else None,
        event=event,
        fingerprint=figures.fingerprint,
    )
    if request.method == "POST" and form.is_valid():
        return _action(request, pk, services.event_cancel, _("The event is cancelled."))
    context = {"event": event, "figures": figures, "form": form}
    return render(request, "events/cabinet/event_cancel.html", context)


@require_POST
@organizer_role_required(*ROLES_EVENTS)
def event_duplicate(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    copy = services.event_duplicate(event=_event(request, pk))
    messages.success(request, _("A draft copy is made. Check its dates before publishing."))
    return _to_event(copy)


@organizer_role_required(*ROLES_EVENTS)
def session_create(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(event=event, data=form.cleaned_data)
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Session added."))
        return _to_event(event)
    return render(request, "events/cabinet/session_form.html", {"form": form, "event": event})


@organizer_role_required(*ROLES_EVENTS)
def session_edit(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = SessionForm(request.POST or None, instance=session, event=session.event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, data=form.cleaned_data)
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Session saved."))
        return _to_event(session.event)
    context = {"form": form, "event": session.event, "session": session}
    return render(request, "events/cabinet/session_form.html", context)


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_EVENTS)
def session_delete(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if not _confirmed(request):
        context = {
            "event": session.event,
            "session": session,
            "figures": session_delete_figures(session=session),
        }
        return render(request, "events/cabinet/session_delete.html", context)
    try:
        services.session_delete(session=session)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Session deleted."))
    return _to_event(session.event)


@organizer_role_required(*ROLES_EVENTS)
def ticket_type_create(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = TicketTypeForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_type_create(session=session, data=form.cleaned_data)
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Ticket type added."))
        return _to_event(session.event)
    context = {"form": form, "event": session.event, "session": session}
    return render(request, "events/cabinet/ticket_type_form.html", context)


@organizer_role_required(*ROLES_EVENTS)
def ticket_type_edit(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    ticket_type = _ticket_type(request, pk)
    session = ticket_type.session
    form = TicketTypeForm(request.POST or None, instance=ticket_type, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_type_update(ticket_type=ticket_type, data=form.cleaned_data)
        except services.EventError as error:
            form.add_error("quantity", str(error))
        else:
            messages.success(request, _("Ticket type saved."))
            return _to_event(session.event)
    context = {"form": form, "event": session.event, "session": session, "ticket_type": ticket_type}
    return render(request, "events/cabinet/ticket_type_form.html", context)


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_EVENTS)
def ticket_type_delete(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    ticket_type = _ticket_type(request, pk)
    if not _confirmed(request):
        context = {"event": ticket_type.session.event, "ticket_type": ticket_type}
        return render(request, "events/cabinet/ticket_type_delete.html", context)
    try:
        services.ticket_type_delete(ticket_type=ticket_type)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ticket type deleted."))
    return _to_event(ticket_type.session.event)

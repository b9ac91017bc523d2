"""Cabinet pages of a service's schedules: the rule editor with its ticket types and a preview
of the next slots, exceptions (closed days, extra slots). Owners and managers only; someone
else's schedule is a 404."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.forms import TicketTypeForm
from events.models import Event, Schedule, ScheduleException, Session
from events.schedules import services
from events.schedules.forms import (
    ScheduleExceptionForm,
    ScheduleForm,
    SlotPickerForm,
    ticket_type_formset,
)
from events.schedules.rules import rule_text
from events.schedules.selectors import (
    schedule_for_cabinet,
    schedule_preview,
    slots_of_day_for_desk,
)
from organizers.permissions import ROLES_EVENTS, organizer_object_or_404, organizer_role_required


def _schedule(request: HttpRequest, pk: int) -> Schedule:
    try:
        return schedule_for_cabinet(organizer=request.organizer, pk=pk)
    except Schedule.DoesNotExist as exc:
        raise Http404 from exc


def _to_schedule(schedule: Schedule) -> HttpResponse:
    return redirect(
        "events_cabinet:schedule_edit",
        organizer_slug=schedule.event.organizer.slug,
        pk=schedule.pk,
    )


def _tell(request: HttpRequest, report: services.MaterialiseReport) -> None:
    """The organizer learns what the change did, and which sold slots no longer fit."""
    messages.success(
        request,
        _("Slots made: %(created)d, removed: %(removed)d.")
        % {"created": report.created, "removed": report.removed},
    )
    if report.sold_not_fitting:
        when = ", ".join(
            formats.date_format(timezone.localtime(slot.starts_at), "j E Y, H:i")
            for slot in report.sold_not_fitting
        )
        messages.warning(
            request,
            ngettext(
                "%(count)d slot with tickets sold no longer fits the schedule and was kept: "
                "%(when)s. Move its bookings or cancel it.",
                "%(count)d slots with tickets sold no longer fit the schedule and were kept: "
                "%(when)s. Move their bookings or cancel them.",
                len(report.sold_not_fitting),
            )
            % {"count": len(report.sold_not_fitting), "when": when},
        )


@organizer_role_required(*ROLES_EVENTS)
def schedule_create(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    event = organizer_object_or_404(Event, organizer=request.organizer, pk=pk)
    form = ScheduleForm(request.POST or None)
    ticket_types = ticket_type_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and ticket_types.is_valid():
        try:
            schedule, report = services.schedule_create(
                event=event, data=form.schedule_data(), ticket_types=ticket_types.values()
            )
        except services.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            _tell(request, report)
            return _to_schedule(schedule)
    context = {"form": form, "ticket_types": ticket_types, "event": event, "schedule": None}
    return render(request, "events/cabinet/schedule_form.html", context)


@organizer_role_required(*ROLES_EVENTS)
def schedule_edit(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    schedule = _schedule(request, pk)
    form = ScheduleForm(request.POST or None, instance=schedule)
    ticket_types = ticket_type_formset(request.POST or None, schedule=schedule)
    if request.method == "POST" and form.is_valid() and ticket_types.is_valid():
        try:
            report = services.schedule_update(
                schedule=schedule, data=form.schedule_data(), ticket_types=ticket_types.values()
            )
        except services.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            _tell(request, report)
            return _to_schedule(schedule)
    schedule = _schedule(request, pk)  # the stored rule, not the form's unsaved values
    context = {
        "form": form,
        "ticket_types": ticket_types,
        "event": schedule.event,
        "schedule": schedule,
        "preview": schedule_preview(schedule),
        "rule": rule_text(schedule),
        "exception_form": ScheduleExceptionForm(),
    }
    return render(request, "events/cabinet/schedule_form.html", context)


@require_POST
@organizer_role_required(*ROLES_EVENTS)
def schedule_exception_add(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    schedule = _schedule(request, pk)
    form = ScheduleExceptionForm(request.POST)
    if form.is_valid():
        try:
            _exception, report = services.schedule_exception_add(
                schedule=schedule, data=form.cleaned_data
            )
        except services.ScheduleError as error:
            messages.error(request, str(error))
        else:
            _tell(request, report)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _to_schedule(schedule)


@require_POST
@organizer_role_required(*ROLES_EVENTS)
def schedule_exception_remove(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    exception = organizer_object_or_404(
        ScheduleException.objects.select_related("schedule__event__organizer"),
        organizer=request.organizer,
        organizer_field="schedule__event__organizer",
        pk=pk,
    )
    try:
        report = services.schedule_exception_remove(exception=exception)
    except services.ScheduleError as error:
        messages.error(request, str(error))
    else:
        _tell(request, report)
    return _to_schedule(exception.schedule)


@organizer_role_required(*ROLES_EVENTS)
def service_day(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """The front desk's day: each slot with its places taken per ticket type and shared
    places, and a link to the slot's orders (names there, through privacy's guard)."""
    event = organizer_object_or_404(Event, organizer=request.organizer, pk=pk)
    day = SlotPickerForm(request.GET).choice()["day"] or timezone.localdate()
    context = {
        "event": event,
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "slots": slots_of_day_for_desk(event=event, day=day),
    }
    return render(request, "events/cabinet/service_day.html", context)


@organizer_role_required(*ROLES_EVENTS)
def open_dated_create(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """Add an open-dated ticket type to a service (valid any day within N days, one entry);
    it is then edited and deleted like any ticket type."""
    event = organizer_object_or_404(Event, organizer=request.organizer, pk=pk)
    holder = Session(event=event, starts_at=timezone.now(), is_open_dated=True)
    form = TicketTypeForm(request.POST or None, session=holder)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_dated_ticket_type_create(event=event, data=form.cleaned_data)
        except services.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ticket type added."))
            return redirect(
                "events_cabinet:event_detail", organizer_slug=event.organizer.slug, pk=event.pk
            )
    context = {"form": form, "event": event, "session": holder}
    return render(request, "events/cabinet/ticket_type_form.html", context)

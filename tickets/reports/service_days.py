"""A service's day and time slot, typed: the attendee export, the message to buyers and the
dashboard of a service ask for a date and an optional time instead of listing its hundreds of
slots (a museum open every hour makes thousands a year)."""

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session
from events.schedules.selectors import slots_of_day_all
from tickets.models import OrderItem


@dataclass(frozen=True)
class SlotChoice:
    """The buyers of one local day of a service, or of one slot of that day."""

    day: date
    session: Session | None = None


def day_and_slot_fields(form: forms.Form, *, after: str | None = None) -> None:
    """Give ``form`` a typed day and an optional time of a slot (no list of slots)."""
    form.fields["day"] = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Empty: every day and the open-dated tickets."),
    )
    form.fields["slot_time"] = forms.TimeField(
        label=_("Time slot"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Empty: every slot of the day."),
    )
    if after is not None:
        names = list(form.fields)
        for name in ("day", "slot_time"):
            names.remove(name)
        at = names.index(after) + 1
        form.order_fields([*names[:at], "day", "slot_time", *names[at:]])


def day_and_slot_clean(form: forms.Form, *, event: Event) -> SlotChoice | None:
    """The day (and slot) ``form`` was given, or ``None`` for every day; a time without a day,
    or a time no slot of that day starts at, is a form error."""
    day = form.cleaned_data.get("day")
    at = form.cleaned_data.get("slot_time")
    if at is not None and day is None:
        form.add_error("day", _("Choose the day of this time slot."))
        return None
    if day is None:
        return None
    if at is None:
        return SlotChoice(day=day)
    start = datetime.combine(day, at, tzinfo=timezone.get_current_timezone())
    slot = slots_of_day_all(event=event, day=day).filter(starts_at=start).first()
    if slot is None:
        form.add_error(
            "slot_time",
            _("No time slot starts at %(time)s on that day.") % {"time": at.strftime("%H:%M")},
        )
        return None
    return SlotChoice(day=day, session=slot)


def items_of_day(items: QuerySet[OrderItem], *, event: Event, day: date) -> QuerySet[OrderItem]:
    """``items`` for the slots of one local day of ``event`` (open-dated tickets have none)."""
    return items.filter(ticket_type__session__in=slots_of_day_all(event=event, day=day))

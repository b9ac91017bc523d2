"""Cabinet forms of a schedule: the rule, its ticket types (a small formset) and exceptions."""

from datetime import date, time
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Schedule, ScheduleException, ScheduleTicketType
from events.schedules.models import WEEKDAY_CODES
from events.schedules.rules import MAX_SLOTS_PER_DAY, times_of_day

WEEKDAY_CHOICES = list(
    zip(
        WEEKDAY_CODES,
        [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        strict=True,
    )
)


class ScheduleForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Schedule
        fields = [
            "name",
            "pattern",
            "weekdays",
            "times",
            "opens_at",
            "closes_at",
            "interval_minutes",
            "duration_minutes",
            "valid_from",
            "valid_until",
            "closed_on_public_holidays",
            "capacity",
            "resource_name",
            "resource_capacity",
            "is_active",
        ]
        widgets = {
            "pattern": forms.RadioSelect,
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "times": forms.TextInput(attrs={"placeholder": "10:00 12:00 15:30"}),
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "resource_capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        }
        help_texts = {
            "name": _("For you and the front desk, e.g. “Daily entry” or “Weekend tour”."),
            "times": _("“At set times”: start times separated by spaces, e.g. 10:00 12:30."),
            "interval_minutes": _("“Every N minutes”: a slot starts this often while open."),
            "valid_until": _("Empty: until you change it."),
            "resource_name": _(
                "Optional: a guide, a hall or equipment that limits the ticket types marked "
                "below, e.g. “Guide” with 10 places."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.weekday_codes

    def clean_weekdays(self) -> str:
        return ",".join(code for code in WEEKDAY_CODES if code in self.cleaned_data["weekdays"])

    def clean_times(self) -> str:
        text = self.cleaned_data.get("times", "")
        found = []
        for piece in text.replace(",", " ").split():
            hours, _sep, minutes = piece.partition(":")
            try:
                found.append(time(int(hours), int(minutes or 0)))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(piece)s” is not a time like 10:00.") % {"piece": piece}
                ) from None
        found = sorted(set(found))
        if len(found) > MAX_SLOTS_PER_DAY:
            raise forms.ValidationError(
                _("At most %(count)d slots a day.") % {"count": MAX_SLOTS_PER_DAY}
            )
        return " ".join(moment.strftime("%H:%M") for moment in found)

    def clean(self):
        cleaned = super().clean()
        pattern = cleaned.get("pattern")
        if pattern == Schedule.Pattern.TIMES and not cleaned.get("times"):
            self.add_error("times", _("Give at least one start time."))
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if pattern == Schedule.Pattern.INTERVAL and opens and closes:
            if closes <= opens:
                self.add_error("closes_at", _("Closing time must be after opening time."))
            elif cleaned.get("interval_minutes") and cleaned.get("duration_minutes"):
                probe = Schedule(
                    pattern=pattern,
                    opens_at=opens,
                    closes_at=closes,
                    interval_minutes=cleaned["interval_minutes"],
                    duration_minutes=cleaned["duration_minutes"],
                )
                if not times_of_day(probe):
                    self.add_error(
                        "duration_minutes", _("No slot fits between opening and closing time.")
                    )
        start, until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and until and until < start:
            self.add_error("valid_until", _("The end must not be before the start."))
        if bool(cleaned.get("resource_name")) != bool(cleaned.get("resource_capacity")):
            self.add_error(
                "resource_capacity", _("Give both the resource's name and its places, or neither.")
            )
        return cleaned

    def schedule_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ScheduleTicketTypeForm(forms.ModelForm):
    class Meta:
        model = ScheduleTicketType
        fields = ["name_ru", "name_kk", "name_en", "price", "max_per_order", "uses_resource"]
        labels = {
            "name_ru": _("Name (Russian)"),
            "name_kk": _("Name (Kazakh)"),
            "name_en": _("Name (English)"),
        }
        widgets = {"price": forms.NumberInput(attrs={"min": 0, "step": "1"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price"].min_value = Decimal("0")
        self.fields["price"].required = False
        # A row without any name is an empty row (left out); the Russian one is required else.
        self.fields["name_ru"].required = False

    def clean_price(self) -> Decimal:
        return self.cleaned_data.get("price") or Decimal("0")

    def clean(self):
        cleaned = super().clean()
        named = cleaned.get("name_kk") or cleaned.get("name_en")
        if named and not cleaned.get("name_ru"):
            self.add_error("name_ru", _("Give the name in Russian."))
        return cleaned


class _TicketTypeFormSet(forms.BaseFormSet):
    def values(self) -> list[dict]:
        """The filled rows, in order (blank rows are left out)."""
        return [
            {name: form.cleaned_data[name] for name in ScheduleTicketTypeForm.Meta.fields}
            for form in self.forms
            if form.cleaned_data.get("name_ru")
        ]

    def clean(self):
        super().clean()
        if not any(self.errors) and not self.values():
            raise forms.ValidationError(_("Add at least one ticket type."))


TicketTypeFormSet = forms.formset_factory(
    ScheduleTicketTypeForm, formset=_TicketTypeFormSet, extra=2, max_num=10, validate_max=True
)


def ticket_type_formset(data=None, *, schedule: Schedule | None = None) -> _TicketTypeFormSet:
    initial = []
    if schedule is not None:
        initial = [
            {name: getattr(template, name) for name in ScheduleTicketTypeForm.Meta.fields}
            for template in schedule.ticket_types.all()
        ]
    return TicketTypeFormSet(data, initial=initial, prefix="tt")


class ScheduleExceptionForm(forms.ModelForm):
    class Meta:
        model = ScheduleException
        fields = ["kind", "date", "starts_at_time", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {"starts_at_time": _("For an extra slot.")}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ScheduleException.Kind.EXTRA and not cleaned.get(
            "starts_at_time"
        ):
            self.add_error("starts_at_time", _("Give the time of the extra slot."))
        return cleaned

    def validate_unique(self) -> None:
        """The service adds an exception once (a repeat is not an error)."""


class SlotPickerForm(forms.Form):
    """The event page's query string for a service: a month, a day, a slot. Invalid values are
    ignored (the page falls back to the first days with places), never an error page."""

    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False)
    day = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    slot = forms.IntegerField(required=False, min_value=1)

    def choice(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        month = None
        if data.get("month"):
            year, number = (int(part) for part in data["month"].split("-"))
            if 1 <= number <= 12 and 2000 <= year <= 2100:
                month = date(year, number, 1)
        return {"month": month, "day": data.get("day"), "slot": data.get("slot")}

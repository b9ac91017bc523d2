"""Forms of the organizer's sales set-up (questions, promo codes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, TicketType
from organizers.models import Organizer
from tickets.models import PromoCode, Question


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "kind", "required", "help_text", "choices"]

    def clean(self):
        data = super().clean()
        choices = [c for c in (data.get("choices") or "").splitlines() if c.strip()]
        if data.get("kind") == Question.Kind.CHOICE and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        return data


class PromoCodeForm(forms.ModelForm):
    class Meta:
        model = PromoCode
        fields = [
            "code",
            "kind",
            "value",
            "event",
            "ticket_type",
            "valid_from",
            "valid_until",
            "usage_limit",
        ]
        widgets = {
            "valid_from": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "valid_until": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, organizer: Organizer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        self.fields["event"].queryset = Event.objects.filter(organizer=organizer)
        self.fields["event"].required = False
        self.fields["ticket_type"].queryset = TicketType.objects.filter(
            session__event__organizer=organizer
        ).select_related("session__event")
        self.fields["ticket_type"].required = False
        for name in ("valid_from", "valid_until"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not code.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError(_("Use only letters, digits, “-” and “_”."))
        if PromoCode.objects.filter(organizer=self.organizer, code=code).exists():
            raise forms.ValidationError(_("You already have a promo code with this name."))
        return code

    def clean(self):
        data = super().clean()
        value, kind = data.get("value"), data.get("kind")
        if value is not None and value <= 0:
            self.add_error("value", _("The discount must be greater than zero."))
        elif kind == PromoCode.Kind.PERCENT and value is not None and value > 100:
            self.add_error("value", _("A percentage cannot be more than 100."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("The end must be after the start."))
        event, ticket_type = data.get("event"), data.get("ticket_type")
        if event and ticket_type and ticket_type.session.event_id != event.pk:
            self.add_error("ticket_type", _("This ticket type belongs to another event."))
        return data

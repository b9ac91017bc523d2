"""Forms of the organizer's sales set-up (questions, promo codes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, TicketType
from events.selectors import any_language, organizer_events_typed
from organizers.models import Organizer
from privacy.special_categories import special_categories_of, special_category_name
from tickets.models import PromoCode, Question

# The box the organizer ticks to keep a question that only looks like a special category.
SAVE_WITHOUT_CONSENT = "save_without_written_consent"
SPECIAL_CATEGORY_WARNING = _(
    "This question seems to ask for %(what)s. By law such data may be collected only with the "
    "buyer's separate written consent: tick “needs written consent”, and checkout will ask for "
    "it. If the question asks for nothing of the kind, tick “It asks for no such data” below."
)


class QuestionForm(forms.ModelForm):
    """A question: ``label`` and ``help_text`` are the Russian texts, the others optional."""

    label_kk = forms.CharField(label=_("Question (Kazakh)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Question (English)"), max_length=200, required=False)
    help_text_kk = forms.CharField(label=_("Hint (Kazakh)"), max_length=300, required=False)
    help_text_en = forms.CharField(label=_("Hint (English)"), max_length=300, required=False)
    field_order = [
        "label",
        "label_kk",
        "label_en",
        "kind",
        "required",
        "help_text",
        "help_text_kk",
        "help_text_en",
        "choices",
        "needs_written_consent",
    ]

    class Meta:
        model = Question
        fields = ["label", "kind", "required", "help_text", "choices", "needs_written_consent"]
        labels = {"label": _("Question (Russian)"), "help_text": _("Hint (Russian)")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Shown (with the box to save anyway) when the label looks like a special category.
        self.special_warning = ""

    def clean(self):
        data = super().clean()
        choices = [c for c in (data.get("choices") or "").splitlines() if c.strip()]
        if data.get("kind") == Question.Kind.CHOICE and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        self._warn_special_category(data)
        return data

    def _warn_special_category(self, data: dict) -> None:
        """A file or free-text question whose words suggest identity documents or health data
        is not saved until the organizer marks it "needs written consent" or says it asks for
        no such data."""
        if data.get("kind") not in (Question.Kind.TEXT, Question.Kind.FILE):
            return
        if data.get("needs_written_consent") or self.data.get(SAVE_WITHOUT_CONSENT):
            return
        texts = ("label", "label_kk", "label_en", "help_text", "help_text_kk", "help_text_en")
        categories = special_categories_of(" ".join(str(data.get(t) or "") for t in texts))
        if categories:
            what = ", ".join(special_category_name(c) for c in categories)
            self.special_warning = SPECIAL_CATEGORY_WARNING % {"what": what}
            self.add_error("needs_written_consent", self.special_warning)


class PromoCodeForm(forms.ModelForm):
    """A new promo code. Its event and ticket type are typed (with suggestions), not chosen
    from a list of every event the organizer ever had."""

    event = forms.CharField(
        label=_("Event"),
        required=False,
        max_length=200,
        help_text=_("Its title or address. Empty: the code works for all your events."),
    )
    ticket_type = forms.CharField(
        label=_("Ticket type"),
        required=False,
        max_length=100,
        help_text=_("Its name. Empty: the code works for every ticket of the event."),
    )

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
        for name in ("valid_from", "valid_until"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        for name in ("event", "ticket_type"):
            self.fields[name].widget.attrs.update(
                {"data-suggest": name, "list": f"suggest-{name}", "autocomplete": "off"}
            )

    def clean_event(self) -> Event | None:
        text = self.cleaned_data["event"].strip()
        if not text:
            return None
        matches = list(organizer_events_typed(organizer=self.organizer, text=text)[:6])
        exact = [event for event in matches if text in (event.slug, event.title)]
        if len(matches) == 1 or len(exact) == 1:
            return (exact or matches)[0]
        if not matches:
            raise forms.ValidationError(_("None of your events is called so."))
        raise forms.ValidationError(
            _("Several events match: type the address of the one you mean (%(addresses)s).")
            % {"addresses": ", ".join(event.slug for event in matches[:5])}
        )

    def _ticket_type_typed(self, text: str, event: Event | None) -> TicketType | None:
        if event is None:
            self.add_error("ticket_type", _("Give the event first: ticket types are per event."))
            return None
        ticket_types = TicketType.objects.filter(session__event=event).select_related("session")
        if text.isdigit():
            ticket_types = ticket_types.filter(pk=int(text))
        else:
            ticket_types = ticket_types.filter(any_language("name", "icontains", text))
        matches = list(ticket_types.order_by("session__starts_at", "position", "id")[:6])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.add_error("ticket_type", _("The event has no ticket type called so."))
        else:
            # The same name in several sessions: the number tells them apart.
            self.add_error(
                "ticket_type",
                _("Several ticket types match: type the number of the one you mean (%(list)s).")
                % {"list": "; ".join(f"{tt.pk} — {tt.name}, {tt.session}" for tt in matches[:5])},
            )
        return None

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
        text = (self.data.get(self.add_prefix("ticket_type")) or "").strip()
        if text and "event" not in self.errors:
            data["ticket_type"] = self._ticket_type_typed(text[:100], data.get("event"))
        else:
            data["ticket_type"] = None
        return data

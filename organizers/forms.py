"""Cabinet forms: the legal profile and the team. Error messages are translated."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from organizers.models import ApiKey, Membership, Organizer
from organizers.origins import origins_parse
from organizers.validators import (
    normalize_bic,
    normalize_bin_iin,
    normalize_iban,
    validate_bic,
    validate_bin_iin,
    validate_bin_iin_for_kind,
    validate_iban_kz,
)
from privacy.forms import PhoneField


def language_of_page() -> str:
    """The current language if the portal speaks it, else the default."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class OrganizerProfileForm(forms.ModelForm):
    """The organizer's public name and the legal profile the privacy policy speaks of."""

    class Meta:
        model = Organizer
        fields = [
            "public_name",
            "description",
            "kind",
            "legal_name",
            "bin_iin",
            "legal_address",
            "iban",
            "bank_name",
            "bik",
            "kbe",
            "vat_payer",
            "closing_act_on",
            "contact_person",
            "phone",
            "email",
            "language",
        ]
        widgets = {
            "kbe": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 2}
            ),
            "description": forms.Textarea(attrs={"rows": 4}),
            "bin_iin": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "iban": forms.TextInput(attrs={"autocomplete": "off", "placeholder": "KZ…"}),
            "phone": forms.TextInput(attrs={"type": "tel", "placeholder": "+7 701 123 45 67"}),
        }
        help_texts = {
            "bin_iin": _("12 digits: БИН for an LLP, ИИН for a sole proprietor or an individual."),
            "iban": _("20 characters starting with KZ, as in your bank's account statement."),
            "bik": _("8 or 11 characters, such as KCJBKZKX."),
        }
        field_classes = {"phone": PhoneField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new organizer writes in the language of the page by default; left out, it stays.
        self.fields["language"].required = False
        if self.instance.pk is None:
            self.initial.setdefault("language", language_of_page())
        # People paste numbers with spaces and dashes: the model's length limits apply to the
        # normalised value (checked again by the model), not to what was typed.
        # The phone field (``PhoneField``) leaves room for typing by itself.
        self.fields["closing_act_on"].required = False
        for name, typed_length in (("bin_iin", 20), ("iban", 34), ("bik", 14)):
            field = self.fields[name]
            field.max_length = typed_length
            field.widget.attrs["maxlength"] = typed_length
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]

    def clean_kbe(self) -> str:
        return self.cleaned_data["kbe"].strip()

    def clean_closing_act_on(self) -> str:
        """Left out by an older form: what it was (the model's default for a new profile)."""
        return self.cleaned_data.get("closing_act_on") or self.instance.closing_act_on

    def clean_language(self) -> str:
        chosen = self.cleaned_data.get("language")
        if chosen:
            return chosen
        return self.instance.language if self.instance.pk else language_of_page()

    def clean_bin_iin(self) -> str:
        value = normalize_bin_iin(self.cleaned_data["bin_iin"])
        validate_bin_iin(value)
        return value

    def clean_iban(self) -> str:
        value = normalize_iban(self.cleaned_data["iban"])
        validate_iban_kz(value)
        return value

    def clean_bik(self) -> str:
        value = normalize_bic(self.cleaned_data["bik"])
        validate_bic(value)
        return value

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("kind"), cleaned.get("bin_iin")
        if kind and number:
            try:
                validate_bin_iin_for_kind(number, kind)
            except forms.ValidationError as error:
                self.add_error("bin_iin", error)
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class WidgetOriginsForm(forms.Form):
    """The sites allowed to show the ticket widget, one origin a line."""

    widget_origins = forms.CharField(
        label=_("Sites with the ticket widget"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "https://tickets.example.kz", "spellcheck": "false"}
        ),
        help_text=_(
            "One address a line: scheme, host and port if any (https://tickets.example.kz, "
            "https://*.example.kz for every subdomain). Only these sites may open the checkout "
            "in a window on their pages."
        ),
    )

    def clean_widget_origins(self) -> list[str]:
        return origins_parse(self.cleaned_data["widget_origins"])


class ApiKeyForm(forms.Form):
    """A new API key: a name to recognise it by and what it may do."""

    label = forms.CharField(
        label=_("Key name"),
        max_length=100,
        help_text=_("Where the key is used, e.g. “CRM” or “Partner site”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the key may do.")},
    )

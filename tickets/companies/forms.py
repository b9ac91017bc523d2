"""The organisation part of the checkout form (portal, widget): fields and their checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizers.validators import normalize_bin_iin, validate_bin_iin
from tickets.companies.inputs import CompanyDetails
from tickets.companies.models import SavedOrganisation

COMPANY_FIELDS = ("company_name", "company_bin", "company_address")
# Fields of the organisation part that are not data about anyone.
COMPANY_CONTROL_FIELDS = ("as_company", "company_saved")
MAX_HOLDER_NAMES = 500


def company_fields_add(form: forms.Form, saved: list[SavedOrganisation]) -> None:
    """Add "I buy for an organisation" and the organisation's fields to ``form``."""
    fields = form.fields
    fields["as_company"] = forms.BooleanField(label=_("I buy for an organisation"), required=False)
    if saved:
        fields["company_saved"] = forms.TypedChoiceField(
            label=_("Your organisations"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Another organisation (fill in below)"))]
            + [(o.pk, f"{o.legal_name} ({o.bin_iin})") for o in saved],
        )
    form.saved_organisations = {o.pk: o for o in saved}
    fields["company_name"] = forms.CharField(
        label=_("Legal name of the organisation"),
        max_length=300,
        required=False,
        help_text=_("As in its registration, e.g. ТОО «Алтын Дала»."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    fields["company_bin"] = forms.CharField(
        label=_("БИН/ИИН of the organisation"),
        max_length=20,
        required=False,
        help_text=_("12 digits: БИН of a company, ИИН of a sole proprietor."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    fields["company_address"] = forms.CharField(
        label=_("Legal address of the organisation"), max_length=500, required=False
    )
    fields["holder_names"] = forms.CharField(
        label=_("Ticket holders (optional)"),
        required=False,
        max_length=201 * MAX_HOLDER_NAMES,
        help_text=_(
            "One name a line, in the order of the tickets. A ticket without a name carries the "
            "contact person's name."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )


def company_clean(form: forms.Form, data: dict) -> None:
    """Check the organisation part when "I buy for an organisation" is ticked; a chosen saved
    organisation stands for the typed fields."""
    if not data.get("as_company"):
        return
    saved = form.saved_organisations.get(data.get("company_saved"))
    if saved is not None:
        data["company_name"] = saved.legal_name
        data["company_bin"] = saved.bin_iin
        data["company_address"] = saved.legal_address
    for name in COMPANY_FIELDS:
        data[name] = (data.get(name) or "").strip()
        if not data[name] and name not in form.errors:
            form.add_error(name, _("Fill this in to buy for an organisation."))
    if data["company_bin"] and "company_bin" not in form.errors:
        number = normalize_bin_iin(data["company_bin"])
        try:
            validate_bin_iin(number)
        except forms.ValidationError as error:
            form.add_error("company_bin", error)
        else:
            data["company_bin"] = number


def company_details(form: forms.Form) -> CompanyDetails | None:
    """The organisation of a valid form, or ``None`` when the buyer buys for themselves."""
    data = form.cleaned_data
    if "as_company" not in form.fields or not data.get("as_company"):
        return None
    names = tuple(
        line.strip()[:201] for line in (data.get("holder_names") or "").splitlines() if line.strip()
    )
    return CompanyDetails(
        legal_name=data["company_name"],
        bin_iin=data["company_bin"],
        legal_address=data["company_address"],
        holder_names=names,
    )


class DocumentsFilterForm(forms.Form):
    """The cabinet's list of company documents: the year orders were placed in."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

"""Forms of transfers: the organizer's rules and the buyer's hand-over of a ticket."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.transfers.models import TransferRules

# Shown next to the checkbox and stored in the consent ledger for the new holder.
HOLDER_CONSENT = _(
    "The new holder agrees that their name and e-mail are processed to issue and check this "
    "ticket and are passed to the organizer of the event, under the privacy policy."
)


class TransferRulesForm(forms.ModelForm):
    class Meta:
        model = TransferRules
        fields = ["allowed", "max_per_ticket", "cutoff_hours"]


class TicketTransferForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Ticket"), coerce=int)
    name = forms.CharField(label=_("New holder's full name"), max_length=200)
    email = forms.EmailField(label=_("New holder's e-mail"))
    consent = forms.BooleanField(label=HOLDER_CONSENT, required=True)

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = choices

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].replace("\x00", "").split())
        if len(name) < 2:
            raise forms.ValidationError(_("Give the new holder's name."))
        return name

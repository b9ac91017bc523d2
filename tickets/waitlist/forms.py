"""The waiting list's join form."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Shown next to the checkbox and kept in the consent ledger.
WAITLIST_CONSENT = _(
    "I agree that my e-mail is processed to tell me when a ticket comes back and is passed to "
    "the organizer of the event, under the privacy policy."
)


class WaitlistJoinForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    consent = forms.BooleanField(label=WAITLIST_CONSENT, required=True)

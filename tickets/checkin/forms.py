"""The scanner page's choice of a day: its sessions are offered one day at a time, so an
event with thousands of time slots never renders them all."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _


class ScannerDayForm(forms.Form):
    """``?day=`` of the scanner page, typed; an empty or wrong one leaves the choice to the
    page (the chosen session's day, or the next day with a session)."""

    day = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def typed_day(self) -> date | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["day"]
        return None

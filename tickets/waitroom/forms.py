"""The organizer's waiting-room settings of one event."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.forms import DateTimeLocalInput
from tickets.waitroom.models import WaitingRoom


class WaitingRoomForm(forms.ModelForm):
    class Meta:
        model = WaitingRoom
        fields = ["enabled", "opens_at", "admit_per_minute", "auto_enabled", "auto_threshold_ms"]
        widgets = {"opens_at": DateTimeLocalInput()}
        help_texts = {
            "enabled": _(
                "Visitors of the event page, cart and checkout (also in the widget and the API) "
                "wait in a queue and are let in a few at a time."
            ),
            "opens_at": _(
                "Everyone who comes before this time gets a random place at the opening, so "
                "coming early or refreshing gives no advantage. Empty: the sale opens now."
            ),
            "admit_per_minute": _(
                "The queue lets people in as fast as checkout keeps up, never faster than this."
            ),
            "auto_enabled": _(
                "The queue starts by itself when this event's checkout becomes slow and stops "
                "ten minutes after it is fast again."
            ),
            "auto_threshold_ms": _("The time 95 of 100 checkouts take, in milliseconds."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opens_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("enabled") and not data.get("opens_at"):
            data["opens_at"] = timezone.now().replace(second=0, microsecond=0)
        return data

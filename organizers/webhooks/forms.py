"""The cabinet's webhook form: the address (checked against SSRF) and the events wanted."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizers.webhooks.addresses import UnsafeWebhookAddress, webhook_url_check
from organizers.webhooks.models import WebhookEventType


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("An https:// address of your system that accepts POST requests with JSON."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    def clean_url(self) -> str:
        try:
            return webhook_url_check(self.cleaned_data["url"])
        except UnsafeWebhookAddress as exc:
            raise forms.ValidationError(str(exc), code="unsafe_url") from exc

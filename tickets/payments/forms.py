"""The cabinet's payment methods form: per provider the portal offers, on/off and position."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.payments.selectors import PaymentMethodChoice


class PaymentMethodsForm(forms.Form):
    def __init__(self, *args: Any, choices: list[PaymentMethodChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        for choice in choices:
            name = choice.provider.name
            self.fields[f"enabled_{name}"] = forms.BooleanField(
                label=_("Offer %(method)s") % {"method": choice.provider.label},
                required=False,
                initial=choice.enabled,
            )
            self.fields[f"position_{name}"] = forms.IntegerField(
                label=_("Position of %(method)s") % {"method": choice.provider.label},
                min_value=1,
                max_value=99,
                initial=choice.position,
            )

    def rows(self) -> list[tuple[PaymentMethodChoice, forms.BoundField, forms.BoundField]]:
        return [
            (c, self[f"enabled_{c.provider.name}"], self[f"position_{c.provider.name}"])
            for c in self.choices
        ]

    def chosen(self) -> dict[str, tuple[bool, int]]:
        """Provider name → (offered, position), from cleaned data."""
        data = self.cleaned_data
        return {
            c.provider.name: (
                data[f"enabled_{c.provider.name}"],
                data[f"position_{c.provider.name}"],
            )
            for c in self.choices
        }

"""The venue form of the cabinet: name and address in three languages, city, map."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Venue
from events.selectors import cities_all


class VenueForm(forms.ModelForm):
    """A venue's texts (Russian required; Kazakh and English fall back to it) and place."""

    map_url = forms.URLField(
        label=_("Map link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Optional: the venue on 2GIS, Yandex Maps or Google Maps."),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        help_text=_("Optional: to show the venue on a map."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
    )

    class Meta:
        model = Venue
        fields = [
            "name_ru",
            "name_kk",
            "name_en",
            "city",
            "address_ru",
            "address_kk",
            "address_en",
            "map_url",
            "latitude",
            "longitude",
        ]
        labels = {
            "name_ru": _("Venue name (Russian)"),
            "name_kk": _("Venue name (Kazakh)"),
            "name_en": _("Venue name (English)"),
            "city": _("City"),
            "address_ru": _("Address (Russian)"),
            "address_kk": _("Address (Kazakh)"),
            "address_en": _("Address (English)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_ru"].required = True
        self.fields["name_ru"].error_messages["required"] = _("Give the venue a name in Russian.")
        self.fields["address_ru"].required = True
        self.fields["address_ru"].error_messages["required"] = _(
            "Give the venue's address in Russian."
        )
        self.fields["city"].queryset = cities_all()
        for name in ("name_kk", "name_en", "address_kk", "address_en"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("name_kk", "name_en", "address_kk", "address_en"):
            cleaned[name] = (cleaned.get(name) or "").strip() or None  # blank: the Russian one
        return cleaned

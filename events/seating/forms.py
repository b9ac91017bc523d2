"""Cabinet forms of reserved seating: import or generate a map, price a session, block seats."""

import re
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import SeatMap, SessionSeatBlock, Venue
from events.seating.layouts import (
    Layout,
    LayoutError,
    SeatSpec,
    generate_block,
    generate_rows,
    layout_from_file,
)
from organizers.models import Organizer

MAX_UPLOAD_BYTES = 1024 * 1024


def organizer_venues(organizer: Organizer):
    return Venue.objects.filter(Q(organizer=organizer) | Q(events__organizer=organizer)).distinct()


class SeatMapImportForm(forms.Form):
    name = forms.CharField(label=_("Name of the map"), max_length=120)
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none())
    layout = forms.FileField(
        label=_("Layout file (JSON or CSV)"),
        help_text=_("CSV columns: section,row,number,x,y,category (label is optional)."),
    )

    def __init__(self, *args, organizer: Organizer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = organizer_venues(organizer)

    def clean_layout(self) -> Layout:
        upload = self.cleaned_data["layout"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return layout_from_file(upload.name, upload.read())
        except LayoutError as exc:
            raise forms.ValidationError(exc.message) from exc


class BlockGeneratorForm(forms.Form):
    """A rectangular block of seats."""

    section = forms.CharField(label=_("Section"), max_length=60, initial="Партер")
    category = forms.CharField(label=_("Price category"), max_length=60, initial="Партер")
    rows = forms.IntegerField(label=_("Rows"), min_value=1, max_value=100, initial=10)
    seats_per_row = forms.IntegerField(
        label=_("Seats in a row"), min_value=1, max_value=200, initial=20
    )
    first_row = forms.IntegerField(label=_("Number of the first row"), min_value=1, initial=1)
    origin_x = forms.IntegerField(label=_("Left edge (x)"), min_value=0, initial=0)
    origin_y = forms.IntegerField(label=_("Top edge (y)"), min_value=0, initial=0)
    stagger = forms.BooleanField(label=_("Shift every second row by half a seat"), required=False)

    def seats(self) -> list[SeatSpec]:
        return generate_block(**self.cleaned_data)


class RowsGeneratorForm(forms.Form):
    """Rows of different lengths, with offsets."""

    section = forms.CharField(label=_("Section"), max_length=60, initial="Балкон")
    category = forms.CharField(label=_("Price category"), max_length=60, initial="Балкон")
    rows_text = forms.CharField(
        label=_("Rows"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One row a line: row, number of seats and, if needed, the offset in seats, "
            "e.g. “1 18” or “2 20 -1”. Rows without an offset are centred."
        ),
    )
    origin_x = forms.IntegerField(label=_("Left edge (x)"), min_value=0, initial=0)
    origin_y = forms.IntegerField(label=_("Top edge (y)"), min_value=0, initial=0)

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self._seats = generate_rows(**data)
            except LayoutError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data

    def seats(self) -> list[SeatSpec]:
        return self._seats


class GeneratedMapForm(BlockGeneratorForm):
    """A new map started with one generated block."""

    name = forms.CharField(label=_("Name of the map"), max_length=120)
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none())
    field_order = ["name", "venue"]

    def __init__(self, *args, organizer: Organizer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = organizer_venues(organizer)

    def seats(self) -> list[SeatSpec]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("name", "venue")}
        return generate_block(**data)


class SessionSeatingForm(forms.Form):
    """Which map the session uses and the price of each of its categories."""

    seat_map = forms.ModelChoiceField(label=_("Seat map"), queryset=SeatMap.objects.none())

    def __init__(self, *args, organizer: Organizer, seat_map: SeatMap | None, prices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat_map"].queryset = SeatMap.objects.filter(
            organizer=organizer
        ).select_related("venue")
        self.category_fields = []
        if seat_map is not None:
            self.fields["seat_map"].initial = seat_map.pk
            for category in seat_map.categories.all():
                name = f"price_{category.pk}"
                self.fields[name] = forms.DecimalField(
                    label=_("Price of “%(name)s”, KZT") % {"name": category.name},
                    max_digits=12,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    validators=[MinValueValidator(Decimal("0"))],
                    initial=prices.get(category.pk),
                    required=False,
                )
                self.category_fields.append((category, name))

    def clean(self):
        data = super().clean()
        chosen = data.get("seat_map")
        if chosen is not None and (
            not self.category_fields
            or self.category_fields[0][0].seat_map_id != chosen.pk
            or any(data.get(name) is None for _category, name in self.category_fields)
        ):
            raise forms.ValidationError(_("Enter the price of each category of the map."))
        return data

    def prices(self) -> dict[int, Decimal]:
        return {
            category.pk: self.cleaned_data.get(name) or Decimal("0")
            for category, name in self.category_fields
        }


NUMBERS_RE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


class SeatBlockForm(forms.Form):
    """Seats of one row to block or unblock: “1-4, 7”."""

    section = forms.ChoiceField(label=_("Section"))
    row = forms.CharField(label=_("Row"), max_length=10)
    numbers = forms.CharField(
        label=_("Seats"), max_length=200, help_text=_("Numbers and ranges, e.g. “1-4, 7”.")
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=SessionSeatBlock.Reason.choices)
    unblock = forms.BooleanField(label=_("Unblock these seats instead"), required=False)

    def __init__(self, *args, seat_map: SeatMap, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seat_map = seat_map
        sections = seat_map.seats.order_by("section").values_list("section", flat=True).distinct()
        self.fields["section"].choices = [(s, s) for s in sections]

    def clean_numbers(self) -> list[str]:
        numbers: list[str] = []
        for part in self.cleaned_data["numbers"].split(","):
            match = NUMBERS_RE.match(part)
            if not match:
                raise forms.ValidationError(_("Write numbers and ranges, e.g. “1-4, 7”."))
            first, last = int(match.group(1)), int(match.group(2) or match.group(1))
            if last < first or last - first > 500:
                raise forms.ValidationError(_("A range goes from the smaller number up."))
            numbers.extend(str(n) for n in range(first, last + 1))
        return numbers

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.seat_ids = list(
            self.seat_map.seats.filter(
                section=data["section"], row=data["row"].strip(), number__in=data["numbers"]
            ).values_list("pk", flat=True)
        )
        if not self.seat_ids:
            raise forms.ValidationError(_("There are no such seats on the map."))
        return data


class SeatCategoryNamesForm(forms.Form):
    """The names of the map's price categories in Russian (required), Kazakh and English."""

    LANGUAGES = (("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English")))

    def __init__(self, *args, seat_map: SeatMap, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for category in seat_map.categories.all():
            names = []
            for code, language in self.LANGUAGES:
                name = f"category_{category.pk}_{code}"
                self.fields[name] = forms.CharField(
                    label=language,
                    max_length=60,
                    required=code == "ru",
                    initial=getattr(category, f"name_{code}") or "",
                )
                names.append(self[name])
            self.rows.append((category, names))

    def names(self) -> dict[int, dict[str, str]]:
        """{category id: {"ru": …, "kk": …, "en": …}} as typed (blank: falls back to Russian)."""
        return {
            category.pk: {
                code: (self.cleaned_data.get(f"category_{category.pk}_{code}") or "").strip()
                for code, _language in self.LANGUAGES
            }
            for category, _fields in self.rows
        }

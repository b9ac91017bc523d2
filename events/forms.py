"""Forms of the events app: the cabinet's event/session/ticket-type editors and the catalogue
filter. Messages are translated; the database constraints stay the last word."""

from datetime import datetime, time
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.images import validate_cover
from events.models import Category, City, Event, Session, TicketType, Venue
from events.selectors import cities_all, cities_with_upcoming_events, venues_of

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class EventForm(forms.ModelForm):
    """An event and its venue: one of the organizer's venues, or a new one typed in place."""

    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("A new venue (fill in below)"),
    )
    venue_name = forms.CharField(label=_("Venue name (Russian)"), max_length=200, required=False)
    venue_name_kk = forms.CharField(label=_("Venue name (Kazakh)"), max_length=200, required=False)
    venue_name_en = forms.CharField(label=_("Venue name (English)"), max_length=200, required=False)
    venue_city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.all(), required=False
    )
    venue_address = forms.CharField(label=_("Address (Russian)"), max_length=300, required=False)
    venue_address_kk = forms.CharField(label=_("Address (Kazakh)"), max_length=300, required=False)
    venue_address_en = forms.CharField(label=_("Address (English)"), max_length=300, required=False)
    venue_map_url = forms.URLField(
        label=_("Map link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Optional: the venue on 2GIS, Yandex Maps or Google Maps."),
    )
    venue_latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        help_text=_("Optional: to show the venue on a map."),
    )
    venue_longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
    )
    NEW_VENUE_REQUIRED = ("venue_name", "venue_city", "venue_address")

    class Meta:
        model = Event
        fields = [
            "title_ru",
            "title_kk",
            "title_en",
            "description_ru",
            "description_kk",
            "description_en",
            "kind",
            "category",
            "age_rating",
            "cover",
            "asks_postal_address",
            "allow_company_purchases",
            "allow_bank_transfer",
            "bank_transfer_min_tickets",
            "bank_transfer_days",
        ]
        labels = {
            "category": _("Category"),
            "title_ru": _("Title (Russian)"),
            "title_kk": _("Title (Kazakh)"),
            "title_en": _("Title (English)"),
            "description_ru": _("Description (Russian)"),
            "description_kk": _("Description (Kazakh)"),
            "description_en": _("Description (English)"),
        }
        widgets = {
            "description_ru": forms.Textarea(attrs={"rows": 6}),
            "description_kk": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "cover": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "kind": _(
                "A service (a museum, an excursion, a class) is booked by time slots of a "
                "recurring schedule instead of one-off sessions."
            ),
            "cover": _("JPEG, PNG or WebP, up to 5 MB; 16:9 looks best."),
            "bank_transfer_min_tickets": _(
                "Smaller orders pay by card: a transfer is worth it for larger ones."
            ),
            "bank_transfer_days": _(
                "Unpaid after this many working days, the order expires and its tickets go back "
                "on sale."
            ),
        }
        error_messages = {
            "cover": {"invalid_image": _("Upload a picture in JPEG, PNG or WebP format.")},
        }

    def __init__(self, *args, organizer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_ru"].required = True
        self.fields["kind"].required = False
        # Left out by an older form or an API client: what it was, or the default.
        self.fields["bank_transfer_min_tickets"].required = False
        self.fields["bank_transfer_days"].required = False
        self.fields["category"].queryset = Category.objects.all()
        self.fields["venue_city"].queryset = cities_all()
        if organizer is not None:
            self.fields["venue"].queryset = venues_of(organizer=organizer)
        venue = self.instance.venue if self.instance.pk else None
        if venue is not None and venue.organizer_id == getattr(organizer, "pk", None):
            self.initial.setdefault("venue", venue.pk)

    def clean_kind(self) -> str:
        """Left out (an older form, an API client): a one-off event, or what it was."""
        return self.cleaned_data.get("kind") or self.instance.kind or Event.Kind.EVENT

    def _kept(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        if value is not None:
            return value
        return getattr(self.instance, name) or Event._meta.get_field(name).get_default()

    def clean_bank_transfer_min_tickets(self) -> int:
        return self._kept("bank_transfer_min_tickets")

    def clean_bank_transfer_days(self) -> int:
        return self._kept("bank_transfer_days")

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            validate_cover(cover)
        return cover

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("venue") is None:
            for name in self.NEW_VENUE_REQUIRED:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Choose a venue above or fill this in."))
        if cleaned.get("allow_bank_transfer") and not cleaned.get("allow_company_purchases"):
            self.add_error(
                "allow_bank_transfer",
                _("Bank transfer is for companies: allow company purchases as well."),
            )
        latitude, longitude = cleaned.get("venue_latitude"), cleaned.get("venue_longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("venue_longitude", _("Give both latitude and longitude, or neither."))
        return cleaned

    def event_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def venue_data(self) -> dict:
        """``{"venue": <Venue>}`` for a chosen venue, else the new venue's fields."""
        if self.cleaned_data.get("venue") is not None:
            return {"venue": self.cleaned_data["venue"]}
        text = {
            name: (self.cleaned_data.get(name) or "").strip()
            for name in self.fields
            if name.startswith("venue_") and isinstance(self.fields[name], forms.CharField)
        }
        return {
            "name_ru": text["venue_name"],
            "name_kk": text["venue_name_kk"],
            "name_en": text["venue_name_en"],
            "city": self.cleaned_data["venue_city"],
            "address_ru": text["venue_address"],
            "address_kk": text["venue_address_kk"],
            "address_en": text["venue_address_en"],
            "map_url": text["venue_map_url"],
            "latitude": self.cleaned_data.get("venue_latitude"),
            "longitude": self.cleaned_data.get("venue_longitude"),
        }


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "doors_open_at"]
        widgets = {name: DateTimeLocalInput() for name in fields}
        help_texts = {"ends_at": _("Optional."), "doors_open_at": _("Optional.")}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for name in self.Meta.fields:
            self.fields[name].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]

    def clean_starts_at(self) -> datetime:
        starts_at = self.cleaned_data["starts_at"]
        moved = self.instance.pk is None or starts_at != self.instance.starts_at
        if moved and starts_at <= timezone.now():
            raise forms.ValidationError(_("The session must start in the future."))
        return starts_at

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        ends_at, doors_open_at = cleaned.get("ends_at"), cleaned.get("doors_open_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The session must end after it starts."))
        if starts_at and doors_open_at and doors_open_at > starts_at:
            self.add_error("doors_open_at", _("Doors must open before the session starts."))
        if starts_at and self.instance.pk:
            late = [
                ticket_type.name
                for ticket_type in self.instance.ticket_types.all()
                if ticket_type.sale_ends_at
                and ticket_type.sale_ends_at > starts_at
                and ticket_type.sale_ends_at != self.instance.starts_at
            ]
            if late:
                self.add_error(
                    "starts_at",
                    _("The sale of %(names)s ends after this time; change the sale first.")
                    % {"names": ", ".join(late)},
                )
        return cleaned


class TicketTypeForm(forms.ModelForm):
    class Meta:
        model = TicketType
        fields = [
            "name_ru",
            "name_kk",
            "name_en",
            "price",
            "quantity",
            "sale_starts_at",
            "sale_ends_at",
            "max_per_order",
            "position",
            "valid_days",
        ]
        labels = {
            "name_ru": _("Name (Russian)"),
            "name_kk": _("Name (Kazakh)"),
            "name_en": _("Name (English)"),
        }
        widgets = {
            "sale_starts_at": DateTimeLocalInput(),
            "sale_ends_at": DateTimeLocalInput(),
            "price": forms.NumberInput(attrs={"min": 0, "step": "1"}),
            "quantity": forms.NumberInput(attrs={"min": 1}),
        }
        help_texts = {
            "price": _("In tenge; 0 makes the ticket free."),
            "sale_starts_at": _("Empty: on sale from publication."),
            "sale_ends_at": _("Empty: on sale until the session starts."),
        }

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["name_ru"].required = True
        self.fields["price"].min_value = Decimal("0")
        if session.is_open_dated:
            self.fields["valid_days"].required = True
            self.fields["sale_ends_at"].help_text = _("Empty: on sale until you change it.")
        else:  # only a service's open-dated tickets count days instead of a time
            del self.fields["valid_days"]
        for name in ("sale_starts_at", "sale_ends_at"):
            self.fields[name].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]

    def clean_price(self) -> Decimal:
        price = self.cleaned_data["price"]
        if price is None:
            return Decimal("0")
        if price < 0:
            raise forms.ValidationError(_("The price cannot be negative."))
        organizer = self.session.event.organizer
        if (
            price > 0
            and self.session.event.status == Event.Status.PUBLISHED
            and not organizer.can_publish_paid
        ):
            raise forms.ValidationError(
                _("Paid tickets can be sold once staff verify your legal profile.")
            )
        return price

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        if quantity is None or quantity < 1:
            raise forms.ValidationError(_("Put at least one ticket on sale."))
        taken = self.instance.quantity_taken if self.instance.pk else 0
        if quantity < taken:
            raise forms.ValidationError(
                _("%(taken)d tickets are already sold or reserved: the quantity cannot be lower.")
                % {"taken": taken}
            )
        return quantity

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("sale_starts_at"), cleaned.get("sale_ends_at")
        if self.session.is_open_dated:  # sold until the organizer says otherwise
            if starts and ends and starts >= ends:
                self.add_error("sale_starts_at", _("The sale must start before it ends."))
            return cleaned
        session_start = self.session.starts_at
        if ends and ends > session_start:
            self.add_error("sale_ends_at", _("The sale must end before the session starts."))
        if starts and starts >= (ends or session_start):
            self.add_error("sale_starts_at", _("The sale must start before it ends."))
        return cleaned


class CatalogueFilterForm(forms.Form):
    """The catalogue's query string; invalid values are ignored rather than shown as errors."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Events and services")), *Event.Kind.choices],
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All cities"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    price_max = forms.DecimalField(
        label=_("Price up to, ₸"),
        required=False,
        min_value=Decimal("0"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": 500}),
    )
    free = forms.BooleanField(label=_("Free only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: the cities with events ahead, read when the field is drawn (the home page's
        # search box never draws it); any city's address still filters, and stays selected.
        self.fields["city"].choices = self._city_choices

    def _city_choices(self) -> list[tuple[str, str]]:
        choices = cities_with_upcoming_events()
        chosen = self.data.get("city") if self.is_bound else None
        if chosen and chosen not in {slug for slug, _name in choices}:
            city = City.objects.filter(slug=chosen).first()
            if city is not None:
                choices = [*choices, (city.slug, str(city.name))]
        return [("", self.fields["city"].empty_label), *choices]

    def filters(self) -> dict:
        """The valid filters only, as keyword arguments for ``events.selectors.catalogue``."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}
        tz = timezone.get_current_timezone()
        if "date_from" in data:
            data["starts_from"] = datetime.combine(data.pop("date_from"), time.min, tzinfo=tz)
        if "date_to" in data:
            data["starts_until"] = datetime.combine(data.pop("date_to"), time.max, tzinfo=tz)
        if data.pop("free", False):
            data["price_max"] = Decimal("0")
        return data


class EventCancelForm(forms.Form):
    """Cancelling an event is confirmed by typing its title (surrounding spaces ignored).

    ``expected`` carries the figures the organizer saw; if orders changed since, the figures are
    shown again instead of cancelling on numbers nobody read.
    """

    title = forms.CharField(label=_("Type the event's title to confirm"), max_length=300)
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event: Event, fingerprint: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fingerprint = fingerprint
        self.fields["expected"].initial = fingerprint

    def clean_title(self) -> str:
        typed = self.cleaned_data["title"].strip()
        # The title as shown, or as written in any of the site's languages.
        titles = {self.event.title, self.event.title_ru, self.event.title_kk, self.event.title_en}
        if typed not in {(title or "").strip() for title in titles} - {""}:
            raise forms.ValidationError(
                _("The title does not match. Type it exactly as it is shown above.")
            )
        return typed

    def clean_expected(self) -> str:
        if self.cleaned_data["expected"] != self.fingerprint:
            raise forms.ValidationError(
                _(
                    "The orders of this event changed while you were confirming. "
                    "Check the new figures and confirm again."
                )
            )
        return self.fingerprint

"""The catalogue: events, their sessions and the ticket types sold for each session.

Texts shown to buyers are translated with django-modeltranslation (``events/translation.py``):
``title`` reads ``title_ru``/``title_kk``/``title_en`` for the active language, falling back to
Russian, which is required.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizers.models import Organizer


class Category(models.Model):  # type: ignore[django-manager-missing]
    slug = models.SlugField(_("address on the site"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class City(models.Model):  # type: ignore[django-manager-missing]
    slug = models.SlugField(_("address on the site"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):  # type: ignore[django-manager-missing]
    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, related_name="venues", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="venues")
    address = models.CharField(_("address"), max_length=300)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    map_url = models.URLField(
        _("map link"),
        max_length=500,
        blank=True,
        help_text=_("A link to the venue on 2GIS, Yandex Maps or Google Maps."),
    )

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    @property
    def map_link(self) -> str:
        """The organizer's map link, else a Yandex Maps point from the coordinates, else ""."""
        if self.map_url:
            return self.map_url
        if self.latitude is not None and self.longitude is not None:
            point = f"{self.longitude},{self.latitude}"
            return f"https://yandex.kz/maps/?pt={point}&z=16&l=map"
        return ""


class Event(models.Model):  # type: ignore[django-manager-missing]
    class Status(models.TextChoices):
        # In a context of their own: "Published" of a policy version is feminine in Russian,
        # of an event neuter, and catalogues of all apps share one namespace.
        DRAFT = "draft", pgettext_lazy("event status", "Draft")
        PUBLISHED = "published", pgettext_lazy("event status", "Published")
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")
        FINISHED = "finished", pgettext_lazy("event status", "Finished")

    if TYPE_CHECKING:  # attached by the selectors: the sessions listed, a service's open-dated one
        listed: list["Session"]
        open_dated: "Session | None"

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        SERVICE = "service", _("Service (booked by time slot)")

    class AgeRating(models.TextChoices):
        ALL = "0+", "0+"
        SIX = "6+", "6+"
        TWELVE = "12+", "12+"
        SIXTEEN = "16+", "16+"
        EIGHTEEN = "18+", "18+"

    organizer = models.ForeignKey(Organizer, on_delete=models.PROTECT, related_name="events")
    slug = models.SlugField(_("address on the site"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    if TYPE_CHECKING:  # the per-language columns events/translation.py adds
        title_ru: str | None
        title_kk: str | None
        title_en: str | None
    # A service (a museum, an excursion, a class) is sold by time slots of its schedules.
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EVENT)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="events")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="events")
    cover = models.ImageField(_("cover image"), upload_to="events/covers/", blank=True)
    # Made from ``cover`` by ``events.images.cover_process``: a 16:9 card and a small thumbnail.
    cover_card = models.ImageField(upload_to="events/covers/card/", blank=True, editable=False)
    cover_thumbnail = models.ImageField(
        upload_to="events/covers/thumb/", blank=True, editable=False
    )
    # WebP and JPEG files of the cover at several widths, {"webp": {"400": name, …}, "jpeg": …},
    # made once by ``cover_process`` (``events.images``).
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    age_rating = models.CharField(
        _("age rating"), max_length=3, choices=AgeRating.choices, default=AgeRating.ALL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Checkout asks only what the organizer needs: a postal address only when they send
    # something by post (printed tickets, merchandise).
    asks_postal_address = models.BooleanField(
        _("ask buyers for a postal address"),
        default=False,
        help_text=_("Only if you send something by post, e.g. printed tickets or merchandise."),
    )
    # Companies (ТОО, АО, ИП, state bodies) buying for their staff or guests: checkout asks for
    # the organisation, and may offer payment by bank transfer against an invoice.
    allow_company_purchases = models.BooleanField(
        _("companies may buy"),
        default=False,
        help_text=_(
            "Checkout offers “I buy for an organisation”: its legal name, БИН/ИИН and address."
        ),
    )
    allow_bank_transfer = models.BooleanField(
        _("companies may pay by bank transfer"),
        default=False,
        help_text=_("The order waits with its tickets held until the invoice is paid."),
    )
    bank_transfer_min_tickets = models.PositiveSmallIntegerField(
        _("fewest tickets for a bank transfer"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    bank_transfer_days = models.PositiveSmallIntegerField(
        _("working days to pay an invoice"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The start of the next session ahead (None: none ahead), kept by ``events.upcoming`` so
    # the catalogue sorts on an index rather than on a subquery over every event.
    upcoming_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bank_transfer_min_tickets__gte=1),
                name="event_bank_transfer_min_tickets_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(bank_transfer_days__gte=1),
                name="event_bank_transfer_days_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "organizer"]),
            models.Index(
                fields=["upcoming_at", "id"],
                name="event_published_upcoming",
                condition=models.Q(status="published"),
            ),
            # The home page's services (and the catalogue filtered by kind): without it the
            # few services were found by reading every published event.
            models.Index(
                fields=["kind", "upcoming_at", "id"],
                name="event_published_kind_upcoming",
                condition=models.Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:event_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        """Buyers can open the page (drafts are visible only in the cabinet)."""
        return self.status != self.Status.DRAFT

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PUBLISHED)

    @property
    def is_service(self) -> bool:
        return self.kind == self.Kind.SERVICE


class Session(models.Model):  # type: ignore[django-manager-missing]
    """One date and time at which an event takes place."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    doors_open_at = models.DateTimeField(_("doors open at"), null=True, blank=True)
    # A slot materialised from a schedule of a service (``events.schedules``).
    schedule = models.ForeignKey(
        "events.Schedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("schedule"),
    )
    # Holds a service's open-dated ticket types (valid any day within N days of purchase):
    # no time of its own, never listed among slots or sessions; one per service.
    is_open_dated = models.BooleanField(default=False, editable=False)

    if TYPE_CHECKING:  # attached by the slot selectors of a service
        places_left: int

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["schedule", "starts_at"],
                condition=Q(schedule__isnull=False),
                name="session_one_slot_per_schedule_start",
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(is_open_dated=True),
                name="session_one_open_dated_per_event",
            ),
        ]

    def __str__(self) -> str:
        if self.is_open_dated:
            return f"{self.event} — {_('open-dated tickets')}"
        local = timezone.localtime(self.starts_at)
        return f"{self.event} — {local:%d.%m.%Y %H:%M}"

    def get_absolute_url(self) -> str:
        """The event page showing this session's tickets (the page shows one at a time); a
        service's slot opens on its day and time in the slot picker."""
        if self.is_open_dated:
            return f"{self.event.get_absolute_url()}#open-dated"
        if self.schedule_id:
            day = timezone.localdate(self.starts_at).isoformat()
            return f"{self.event.get_absolute_url()}?day={day}&slot={self.pk}#session-{self.pk}"
        return f"{self.event.get_absolute_url()}?session={self.pk}#session-block-{self.pk}"


class TicketType(models.Model):  # type: ignore[django-manager-missing]
    """What is sold for a session: a price in KZT (0 means free) and how many are on sale."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("name"), max_length=120)
    if TYPE_CHECKING:  # the per-language columns events/translation.py adds
        name_ru: str | None
        name_kk: str | None
        name_en: str | None
    price = models.DecimalField(
        _("price, KZT"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    quantity = models.PositiveIntegerField(_("quantity on sale"))
    # Held in live carts, in pending orders or paid. Only ``tickets`` services change it, with a
    # conditional UPDATE (``quantity_taken + n <= quantity``), so it never exceeds ``quantity``.
    quantity_taken = models.PositiveIntegerField(_("taken (held, pending or sold)"), default=0)
    sale_starts_at = models.DateTimeField(_("sale starts at"), null=True, blank=True)
    sale_ends_at = models.DateTimeField(_("sale ends at"), null=True, blank=True)
    max_per_order = models.PositiveSmallIntegerField(
        _("maximum per order"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Also limited by shared places of its slot (``CapacityPool``): the inventory takes from
    # those too. Set when the pools are made, so a plain event's sale never looks for them.
    is_pooled = models.BooleanField(default=False, editable=False)
    # An open-dated ticket of a service: one entry on any day within this many days from the
    # day of purchase (``OrderItem.valid_from``/``valid_until`` keep each ticket's window).
    valid_days = models.PositiveSmallIntegerField(
        _("valid for, days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("The ticket admits once on any day from the day of purchase within this."),
    )

    class Meta:
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        ordering = ["position", "price", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="ticket_type_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_per_order__gte=1), name="ticket_type_max_per_order_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_taken__lte=models.F("quantity")),
                name="ticket_type_not_oversold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.session})"

    @property
    def quantity_available(self) -> int:
        return max(self.quantity - self.quantity_taken, 0)

    # "Few left" when at most this many tickets remain and at most a fifth of the quantity.
    FEW_LEFT_AT_MOST = 10
    FEW_LEFT_SHARE = Decimal("0.2")

    @property
    def is_sold_out(self) -> bool:
        return self.quantity_available == 0

    @property
    def is_few_left(self) -> bool:
        available = self.quantity_available
        return 0 < available <= self.FEW_LEFT_AT_MOST and available <= (
            self.quantity * self.FEW_LEFT_SHARE
        )

    @property
    def sale_state(self) -> str:
        """``not_started``, ``ended``, ``sold_out``, ``few_left`` or ``available``."""
        now = timezone.now()
        if self.sale_starts_at and now < self.sale_starts_at:
            return "not_started"
        if self.sale_ends_at and now >= self.sale_ends_at:
            return "ended"
        if self.is_sold_out:
            return "sold_out"
        return "few_left" if self.is_few_left else "available"

    @property
    def is_free(self) -> bool:
        return self.price == 0

    def validity_window(self, bought_on: date) -> tuple[date, date] | None:
        """The first and last day an open-dated ticket bought on ``bought_on`` admits;
        ``None`` for a ticket of a session or slot."""
        if not self.valid_days:
            return None
        return bought_on, bought_on + timedelta(days=self.valid_days - 1)

    def is_on_sale(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        if self.sale_starts_at and now < self.sale_starts_at:
            return False
        return not (self.sale_ends_at and now >= self.sale_ends_at)


# Reserved seating (issue 10): a venue's seat map, and how one session sells it.


class SeatMap(models.Model):  # type: ignore[django-manager-missing]
    """A hall plan of a venue: seats with labels, positions and price categories."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="seat_maps")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="seat_maps")
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat map")
        verbose_name_plural = _("seat maps")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.venue.name})"


class SeatCategory(models.Model):  # type: ignore[django-manager-missing]
    """A price category of a seat map (“Партер”, “VIP”); each session maps it to a ticket type."""

    seat_map = models.ForeignKey(SeatMap, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=60)
    if TYPE_CHECKING:  # the per-language columns events/translation.py adds
        name_ru: str | None
        name_kk: str | None
        name_en: str | None
    color = models.CharField(_("colour"), max_length=7, default="#2b6cb0")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("seat category")
        verbose_name_plural = _("seat categories")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seat_map", "name"], name="seat_category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """One seat: section, row and number, a readable label and its place on the plan."""

    seat_map = models.ForeignKey(SeatMap, on_delete=models.CASCADE, related_name="seats")
    category = models.ForeignKey(SeatCategory, on_delete=models.PROTECT, related_name="seats")
    section = models.CharField(_("section"), max_length=60)
    row = models.CharField(_("row"), max_length=10)
    number = models.CharField(_("seat"), max_length=10)
    label = models.CharField(_("label"), max_length=120)
    x = models.PositiveIntegerField(_("x"))
    y = models.PositiveIntegerField(_("y"))

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["seat_map", "y", "x", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat_map", "section", "row", "number"], name="seat_unique_place"
            )
        ]

    def __str__(self) -> str:
        return self.label


class SessionSeating(models.Model):
    """A session sold by seat: which map it uses."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="seating")
    seat_map = models.ForeignKey(SeatMap, on_delete=models.PROTECT, related_name="sessions")

    class Meta:
        verbose_name = _("session seating")
        verbose_name_plural = _("session seating")

    def __str__(self) -> str:
        return f"{self.session} — {self.seat_map}"


class SessionSeatPrice(models.Model):
    """Seats of ``category`` are sold in this session as ``ticket_type``."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seat_prices")
    category = models.ForeignKey(SeatCategory, on_delete=models.CASCADE, related_name="+")
    ticket_type = models.OneToOneField(
        TicketType, on_delete=models.CASCADE, related_name="seat_price"
    )

    class Meta:
        verbose_name = _("seat category price")
        verbose_name_plural = _("seat category prices")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "category"], name="session_seat_price_one_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.ticket_type.name}"


class SessionSeatBlock(models.Model):
    """A seat the organizer keeps off sale in one session (technical, guests)."""

    class Reason(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        GUESTS = "guests", _("Guests")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seat_blocks")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, default=Reason.TECHNICAL
    )

    class Meta:
        verbose_name = _("blocked seat")
        verbose_name_plural = _("blocked seats")
        constraints = [
            models.UniqueConstraint(fields=["session", "seat"], name="session_seat_block_unique")
        ]

    def __str__(self) -> str:
        return f"{self.seat} ({self.get_reason_display()})"


# Services sold by time slot (issue 23): the models live in their own package.
from events.schedules.models import (  # noqa: E402
    CapacityPool,
    Schedule,
    ScheduleException,
    ScheduleTicketType,
)

__all__ = [
    "CapacityPool",
    "Category",
    "City",
    "Event",
    "Schedule",
    "ScheduleException",
    "ScheduleTicketType",
    "Seat",
    "SeatCategory",
    "SeatMap",
    "Session",
    "SessionSeatBlock",
    "SessionSeatPrice",
    "SessionSeating",
    "TicketType",
    "Venue",
]

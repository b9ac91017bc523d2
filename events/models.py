"""The catalogue: events, their sessions and the ticket types sold for each session.

Texts shown to buyers are translated with django-modeltranslation (``events/translation.py``):
``title`` reads ``title_ru``/``title_kk``/``title_en`` for the active language, falling back to
Russian, which is required.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizers.models import Organizer


class Category(models.Model):
    slug = models.SlugField(_("address on the site"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class City(models.Model):
    slug = models.SlugField(_("address on the site"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):
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

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")

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
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="events")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="events")
    cover = models.ImageField(_("cover image"), upload_to="events/covers/", blank=True)
    # Made from ``cover`` by ``events.images.cover_process``: a 16:9 card and a small thumbnail.
    cover_card = models.ImageField(upload_to="events/covers/card/", blank=True, editable=False)
    cover_thumbnail = models.ImageField(
        upload_to="events/covers/thumb/", blank=True, editable=False
    )
    age_rating = models.CharField(
        _("age rating"), max_length=3, choices=AgeRating.choices, default=AgeRating.ALL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
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
        indexes = [
            models.Index(fields=["status", "organizer"]),
            models.Index(
                fields=["upcoming_at", "id"],
                name="event_published_upcoming",
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


class Session(models.Model):
    """One date and time at which an event takes place."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    doors_open_at = models.DateTimeField(_("doors open at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.event} — {local:%d.%m.%Y %H:%M}"


class TicketType(models.Model):
    """What is sold for a session: a price in KZT (0 means free) and how many are on sale."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("name"), max_length=120)
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

    def is_on_sale(self, at: "timezone.datetime | None" = None) -> bool:
        now = at or timezone.now()
        if self.sale_starts_at and now < self.sale_starts_at:
            return False
        return not (self.sale_ends_at and now >= self.sale_ends_at)


# Reserved seating (issue 10): a venue's seat map, and how one session sells it.


class SeatMap(models.Model):
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


class SeatCategory(models.Model):
    """A price category of a seat map (“Партер”, “VIP”); each session maps it to a ticket type."""

    seat_map = models.ForeignKey(SeatMap, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=60)
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

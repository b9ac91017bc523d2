"""Organizers: the legal profile behind the events, and the team that runs them."""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizers import roles
from organizers.origins import origin_normalise
from organizers.validators import validate_kbe

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from events.models import Event

INVITATION_VALID_FOR = timedelta(days=14)
# Kazakhstan's standard VAT rate (Tax Code, art. 422), applied when the organizer pays VAT.
VAT_RATE_PERCENT = Decimal("12")


# modeltranslation builds Event's manager class at start-up, which the Django plugin cannot find;
# ``events`` below is declared by hand instead.
class Organizer(models.Model):  # type: ignore[django-manager-missing]
    class Kind(models.TextChoices):
        TOO = "too", _("LLP (ТОО)")
        IP = "ip", _("Sole proprietor (ИП)")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    slug = models.SlugField(_("address on the site"), max_length=80, unique=True)
    public_name = models.CharField(_("public name"), max_length=200)
    description = models.TextField(_("about the organizer"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organizers/logos/", blank=True)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=300)
    bin_iin = models.CharField(_("BIN / IIN"), max_length=12)
    legal_address = models.CharField(_("legal address"), max_length=500)
    iban = models.CharField(_("bank account (IBAN)"), max_length=20)
    bank_name = models.CharField(_("bank"), max_length=200)
    bik = models.CharField(_("bank BIC"), max_length=11)
    # Кбе, the beneficiary code of payment orders: residence (1 resident, 2 non-resident) and
    # economic sector (7 a private non-financial company, 9 an individual or sole proprietor).
    # Empty on profiles saved before it was asked: ``beneficiary_code`` then derives it.
    kbe = models.CharField(
        _("beneficiary code (КБе)"),
        max_length=2,
        blank=True,
        validators=[validate_kbe],
        help_text=_("Two digits from your bank details: 17 for an LLP, 19 for a sole proprietor."),
    )
    vat_payer = models.BooleanField(
        _("VAT (НДС) payer"),
        default=False,
        # xgettext:no-python-format
        help_text=_("Invoices and acts then show VAT at 12% included in the price."),
    )

    class ClosingActOn(models.TextChoices):
        AFTER_EVENT = "after_event", _("After the event")
        ON_PAYMENT = "on_payment", _("When the order is paid")

    # When a company buyer's act of services rendered is issued.
    closing_act_on = models.CharField(
        _("acts of services rendered for companies are issued"),
        max_length=20,
        choices=ClosingActOn.choices,
        default=ClosingActOn.AFTER_EVENT,
    )
    contact_person = models.CharField(_("contact person"), max_length=200)
    phone = models.CharField(_("phone"), max_length=16)
    email = models.EmailField(_("e-mail"))
    # The language of the portal's e-mails to the organizer (refunds, review, reports).
    language = models.CharField(
        _("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default="ru"
    )

    # Sites that may frame the ticket widget, one origin a line (see ``organizers.origins``).
    widget_origins = models.TextField(
        _("sites with the ticket widget"),
        blank=True,
        help_text=_("One address a line, such as https://tickets.example.kz."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # For the type checker (see above): the organizer's events.
    events: "RelatedManager[Event]"

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")
        ordering = ["public_name"]

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:organizer_detail", kwargs={"slug": self.slug})

    @property
    def widget_origin_list(self) -> list[str]:
        """The registered widget origins, normalised (invalid lines are skipped)."""
        result = []
        for line in self.widget_origins.splitlines():
            try:
                result.append(origin_normalise(line))
            except ValidationError:
                continue
        return [origin for origin in result if origin]

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    LEGAL_PROFILE_FIELDS = (
        "kind",
        "legal_name",
        "bin_iin",
        "legal_address",
        "iban",
        "bank_name",
        "bik",
        "contact_person",
        "phone",
        "email",
    )

    @property
    def beneficiary_code(self) -> str:
        """The КБе on payment documents: as given, else the usual code of a resident of its kind."""
        if self.kbe:
            return self.kbe
        return "17" if self.kind == self.Kind.TOO else "19"

    @property
    def vat_rate_percent(self) -> Decimal | None:
        """The VAT rate included in its prices, or ``None`` when the organizer does not pay VAT."""
        return VAT_RATE_PERCENT if self.vat_payer else None

    @property
    def is_profile_complete(self) -> bool:
        """Every field of the legal profile is filled: enough to prepare drafts."""
        return all(getattr(self, name) for name in self.LEGAL_PROFILE_FIELDS)

    @property
    def can_publish_paid(self) -> bool:
        return self.is_verified and self.is_profile_complete

    @property
    def can_publish_free(self) -> bool:
        return not self.is_rejected and self.is_profile_complete


class Membership(models.Model):
    """A user's place in an organizer's team; the role decides what the cabinet lets them do."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        CHECKIN = "checkin", _("Check-in staff")
        ACCOUNTANT = "accountant", _("Accountant")

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["organizer", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organizer})"

    @property
    def is_owner(self) -> bool:
        return self.role == roles.OWNER

    @property
    def can_manage_events(self) -> bool:
        return self.role in roles.ROLES_EVENTS

    @property
    def can_manage_orders(self) -> bool:
        return self.role in roles.ROLES_ORDERS

    @property
    def can_check_in(self) -> bool:
        return self.role in roles.ROLES_CHECKIN

    @property
    def can_see_reports(self) -> bool:
        return self.role in roles.ROLES_REPORTS

    @property
    def can_manage_team(self) -> bool:
        return self.role in roles.ROLES_TEAM

    @property
    def can_edit_profile(self) -> bool:
        return self.role in roles.ROLES_PROFILE


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> datetime:
    return timezone.now() + INVITATION_VALID_FOR


class Invitation(models.Model):
    """An owner's invitation to join the team with a role, accepted by the invited e-mail only."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organizer",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organizer} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiKey(models.Model):
    """A key for the public API's organizer endpoints (a CRM, a partner's system).

    The secret is shown once when the key is made; only its SHA-256 hash is kept. Each key
    carries the scopes it was given and stops working at once when revoked."""

    class Scope(models.TextChoices):
        EVENTS_READ = "events:read", _("Read events")
        EVENTS_WRITE = "events:write", _("Change events")
        ORDERS_READ = "orders:read", _("Read orders and attendees")
        ORDERS_REFUND = "orders:refund", _("Refund and cancel orders")
        CHECKIN = "checkin", _("Check tickets in")

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="api_keys")
    label = models.CharField(_("name"), max_length=100)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    secret_hint = models.CharField(_("key starts with"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Rate limits count per key by this text: unique, and never the secret.
        return f"api-key:{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        labels = dict(self.Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]


# The webhooks concept keeps its tables in its own package; they are models of this app.
from organizers.webhooks.models import (  # noqa: E402
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)

__all__ = [
    "ApiKey",
    "Invitation",
    "Membership",
    "Organizer",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEventType",
]

"""Organizers: the legal profile behind the events, and the team that runs them."""

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizers import roles
from organizers.origins import origin_normalise

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from events.models import Event

INVITATION_VALID_FOR = timedelta(days=14)


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
    contact_person = models.CharField(_("contact person"), max_length=200)
    phone = models.CharField(_("phone"), max_length=16)
    email = models.EmailField(_("e-mail"))

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

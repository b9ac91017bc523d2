"""Organizers: the legal profile behind the events, and the team that runs them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organizer(models.Model):
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

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")
        ordering = ["public_name"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class Membership(models.Model):
    """A user's place in an organizer's team; the role decides what the cabinet lets them do."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        CHECKIN = "checkin", _("Check-in staff")
        ACCOUNTANT = "accountant", _("Accountant")

    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, related_name="memberships"
    )
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

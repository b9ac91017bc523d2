"""The consent ledger and staff-recorded withdrawals: append-only, hash-chained rows."""

from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models.ledger import ChainedModel, ConsentLedgerQuerySet
from privacy.models.policy import PolicyVersion
from privacy.storage import private_storage

_Row = TypeVar("_Row", bound=models.Model)


class ConsentRecord(ChainedModel):
    """One consent given or withdrawn. Append-only: rows are never changed or deleted, except
    that the IP address becomes its network after the retention period
    (``ConsentRecord.objects.ip_addresses_shorten``)."""

    class Purpose(models.TextChoices):
        PROCESSING_AND_TRANSFER = "processing_and_transfer", _("Processing and transfer")
        MARKETING = "marketing", _("Advertising (marketing)")
        COOKIES_ANALYTICS = "cookies_analytics", _("Analytics cookies")
        COOKIES_MARKETING = "cookies_marketing", _("Marketing cookies")
        SPECIAL_CATEGORY = "special_category", _("Special categories of data (written consent)")

    class Action(models.TextChoices):
        GIVEN = "given", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # A guest's consent to processing whose purpose is achieved: every order it covered was
        # made anonymous at the end of the tax period (``guest_consents_end``).
        ENDED = "ended", _("Ended: purpose achieved")

    class Channel(models.TextChoices):
        SITE = "site", _("Site")
        WIDGET = "widget", _("Widget")
        ADMIN = "admin", _("Admin")
        LETTER = "letter", _("Registered letter")
        EMAIL_LINK = "email_link", _("Unsubscribe link")
        API = "api", _("API")
        RETENTION = "retention", _("Retention schedule")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_records",
    )
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    browser_id = models.CharField(
        _("browser"),
        max_length=36,
        blank=True,
        db_index=True,
        help_text=_("Random identifier of the browser, for cookie choices"),
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    policy_version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("policy version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    policy_language = models.CharField(
        _("language of the policy text"),
        max_length=8,
        blank=True,
        help_text=_("Which language's text of the policy version was shown and accepted"),
    )
    wording = models.TextField(_("wording shown"))
    wording_language = models.CharField(
        _("language of the wording"),
        max_length=8,
        blank=True,
        help_text=_("The language the wording above was shown in"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Sealed in the hash chain; ``ip_address`` is shortened to it after the retention period
    # (``privacy.chain.REDACTABLE``). Rows written before it existed got it, with ``ip_seal``,
    # from a migration (``privacy.chain.LATE_SEALS``).
    ip_network = models.CharField(
        _("network of the IP address"), max_length=45, blank=True, editable=False
    )
    ip_seal = models.CharField(
        _("seal of the row without its IP address"), max_length=64, blank=True, editable=False
    )
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Order or form it came from")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, editable=False, db_index=True
    )

    objects = ConsentLedgerQuerySet.as_manager()  # type: ignore[misc]  # a narrower manager

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent ledger")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["purpose", "email", "created_at"]),
            models.Index(
                fields=["purpose", "phone", "created_at"], name="privacy_consent_phone_idx"
            ),
        ]

    def __str__(self) -> str:
        who = self.email or self.phone or self.browser_id
        return f"{self.get_purpose_display()}: {self.get_action_display()} ({who})"


class ConsentWithdrawal(ChainedModel):
    """A withdrawal of consent that reached staff on paper (a registered letter) or otherwise.

    Recording it appends the withdrawn rows to the ledger at once (``consent_withdrawal_record``).
    """

    class Scope(models.TextChoices):
        MARKETING = "marketing", _("Marketing only")
        ALL = "all", _("All processing (and marketing)")

    class Channel(models.TextChoices):
        LETTER = "letter", _("Registered letter")
        SITE = "site", _("The buyer's account on the site")
        ADMIN = "admin", _("Other (recorded by staff)")

    channel = models.CharField(
        _("arrived by"), max_length=20, choices=Channel.choices, default=Channel.LETTER
    )
    received_on = models.DateField(_("date received"), default=timezone.localdate)
    letter_number = models.CharField(_("letter number"), max_length=100, blank=True)
    scan = models.FileField(
        _("scanned copy"),
        storage=private_storage,
        upload_to="privacy/withdrawals/%Y/%m/",
        blank=True,
    )
    scope = models.CharField(
        _("consent withdrawn"), max_length=20, choices=Scope.choices, default=Scope.MARKETING
    )
    subject_name = models.CharField(_("subject's name"), max_length=200, blank=True)
    subject_email = models.EmailField(_("subject's e-mail"), blank=True, db_index=True)
    subject_phone = models.CharField(_("subject's phone"), max_length=16, blank=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subject's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("consent withdrawal (letter)")
        verbose_name_plural = _("consent withdrawals (letters)")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        number = f"№ {self.letter_number}, " if self.letter_number else ""
        return f"{number}{self.received_on:%d.%m.%Y} — {self.subject_email or self.subject_phone}"


class WithdrawalAnswer(ChainedModel):
    """Staff's reasoned answer to a withdrawal: which processing still goes on after it and on
    which legal ground (e.g. an unfinished paid order, accounting law). The buyer sees it in
    their account. Append-only: a correction is a new answer."""

    withdrawal = models.ForeignKey(
        ConsentWithdrawal,
        verbose_name=_("withdrawal"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    continued_processing = models.TextField(
        _("processing that continues"),
        help_text=_("What is still done with the data after the withdrawal, or “nothing”"),
    )
    legal_ground = models.TextField(
        _("legal ground"),
        help_text=_("The law or contract that requires it (article, order, contract)"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(
        _("answered at"), default=timezone.now, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("answer to a withdrawal")
        verbose_name_plural = _("answers to withdrawals")
        ordering = ["-answered_at", "-id"]

    def __str__(self) -> str:
        when = f"{self.answered_at:%d.%m.%Y}" if self.answered_at else "—"
        return f"{self.withdrawal_id}: {when}"

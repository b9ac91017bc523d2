"""The operator of the personal-data database: who buyers deal with and write to (Law 94-V)."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Weights of the control digit of a Kazakh IIN/BIN; the second row is used when the first
# gives 10, and a second 10 means the number cannot exist.
_BIN_WEIGHTS = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


def bin_is_valid(value: str) -> bool:
    """Twelve digits whose last one is the control digit of the first eleven."""
    if len(value) != 12 or not value.isdigit():
        return False
    digits = [int(d) for d in value]
    for weights in _BIN_WEIGHTS:
        control = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
        if control != 10:
            return control == digits[11]
    return False


def validate_bin(value: str) -> None:
    if not bin_is_valid(value):
        raise ValidationError(
            _("A BIN is 12 digits and its last digit must match the others: check for a typo."),
            code="invalid_bin",
        )


class Operator(models.Model):
    """The one operator record (a singleton row), shown on the policy page, in the footer and
    in e-mails. Until staff save it, ``privacy.services.operator_current`` answers from the
    settings ``OPERATOR_*``."""

    # Explicit: modeltranslation replaces the manager at start-up, which the type checker
    # cannot follow.
    objects: ClassVar[models.Manager["Operator"]] = models.Manager()

    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    name = models.CharField(
        _("legal name"), max_length=300, help_text=_("As registered, e.g. “ТОО «…»”")
    )
    bin = models.CharField(
        _("BIN"),
        max_length=12,
        validators=[validate_bin],
        help_text=_("Business identification number, 12 digits"),
    )
    legal_address = models.CharField(_("legal address"), max_length=500)
    postal_address = models.CharField(
        _("postal address"),
        max_length=500,
        help_text=_("Where buyers send registered letters (withdrawal of consent, claims)"),
    )
    privacy_email = models.EmailField(_("e-mail for privacy questions"), default="info@eventum.one")
    responsible_person = models.CharField(
        _("person responsible for personal data"),
        max_length=300,
        help_text=_("Who organises the processing of personal data: name and position"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("operator of personal data")
        verbose_name_plural = _("operator of personal data")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=1), name="privacy_operator_single_row"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_complete(self) -> bool:
        """Has everything a buyer needs to identify the operator and write to it?"""
        return all(
            [self.name, self.bin, self.legal_address, self.postal_address, self.privacy_email]
        ) and bin_is_valid(self.bin)

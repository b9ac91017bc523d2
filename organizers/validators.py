"""Checks of Kazakhstan's legal identifiers: БИН/ИИН, IBAN and БИК.

Phone numbers are checked by ``privacy.forms.PhoneField``, the one normaliser of identities.

БИН (business identification number) and ИИН (individual identification number) are both 12
digits whose last one is a check digit computed by the algorithm the Ministry of Justice
publishes: weights 1..11 modulo 11, and a second pass with weights 3..11,1,2 when the first gives
10; a number whose second pass also gives 10 is never issued.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# The fifth digit of a БИН says what kind of entity it is: 4 resident legal entity, 5 branch or
# representative office of a non-resident, 6 sole proprietorship in joint form.
_BIN_ENTITY_TYPES = "456"

IBAN_KZ_LENGTH = 20
_IBAN_KZ = re.compile(r"^KZ\d{2}\d{3}[0-9A-Z]{13}$")
_BIC = re.compile(r"^[A-Z]{4}KZ[A-Z0-9]{2}([A-Z0-9]{3})?$")


def bin_iin_check_digit(first_eleven: str) -> int | None:
    """The check digit for the first 11 digits, or ``None`` if no valid number can end them."""
    digits = [int(c) for c in first_eleven]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS_FIRST, strict=True)) % 11
    if total == 10:
        total = sum(d * w for d, w in zip(digits, _WEIGHTS_SECOND, strict=True)) % 11
        if total == 10:
            return None
    return total


def normalize_bin_iin(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def validate_bin_iin(value: str) -> None:
    """12 digits with a matching check digit (any БИН or ИИН)."""
    number = normalize_bin_iin(value)
    if not (len(number) == 12 and number.isdigit()):
        raise ValidationError(_("A БИН or ИИН is exactly 12 digits."), code="bin_iin_format")
    if bin_iin_check_digit(number[:11]) != int(number[11]):
        raise ValidationError(
            _(
                "This БИН/ИИН is not valid: its check digit does not match. "
                "Please check the number for typos."
            ),
            code="bin_iin_checksum",
        )


def is_iin(number: str) -> bool:
    """Do the first seven digits read as an ИИН: a birth date YYMMDD and a century/sex digit?"""
    century_digit = int(number[6])
    if century_digit == 0 or century_digit > 6:
        return False
    century = 1800 + 100 * ((century_digit - 1) // 2)
    try:
        date(century + int(number[0:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        return False
    return True


def is_bin(number: str) -> bool:
    """Do the first five digits read as a БИН: registration YYMM and an entity-type digit?"""
    return 1 <= int(number[2:4]) <= 12 and number[4] in _BIN_ENTITY_TYPES


def validate_bin_iin_for_kind(value: str, kind: str) -> None:
    """An LLP is registered with a БИН; an individual with an ИИН; a sole proprietor with either."""
    validate_bin_iin(value)
    number = normalize_bin_iin(value)
    if kind == "too" and not is_bin(number):
        raise ValidationError(
            _("An LLP (ТОО) is registered with a БИН; this number is not a БИН."),
            code="bin_expected",
        )
    if kind == "individual" and not is_iin(number):
        raise ValidationError(
            _("An individual is identified by an ИИН; this number is not an ИИН."),
            code="iin_expected",
        )
    if kind == "ip" and not (is_iin(number) or is_bin(number)):
        raise ValidationError(
            _("A sole proprietor (ИП) is identified by an ИИН; this number is not an ИИН."),
            code="iin_expected",
        )


def normalize_iban(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    rearranged = iban[4:] + iban[:4]
    as_number = "".join(str(int(c, 36)) for c in rearranged)
    return int(as_number) % 97 == 1


def validate_iban_kz(value: str) -> None:
    iban = normalize_iban(value)
    if not iban.startswith("KZ"):
        raise ValidationError(
            _("Enter a Kazakhstan bank account: an IBAN starting with KZ."), code="iban_country"
        )
    if len(iban) != IBAN_KZ_LENGTH or not _IBAN_KZ.match(iban):
        raise ValidationError(
            _("A Kazakhstan IBAN is KZ followed by 18 letters and digits (20 characters)."),
            code="iban_format",
        )
    if not iban_checksum_ok(iban):
        raise ValidationError(
            _(
                "This IBAN is not valid: its check digits do not match. "
                "Please check the account number for typos."
            ),
            code="iban_checksum",
        )


def normalize_bic(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_bic(value: str) -> None:
    if not _BIC.match(normalize_bic(value)):
        raise ValidationError(
            _("Enter the bank's БИК: 8 or 11 letters and digits, such as KCJBKZKX."),
            code="bic_format",
        )


_KBE = re.compile(r"^[12][1-9]$")


def validate_kbe(value: str) -> None:
    """КБе: residence (1 resident, 2 non-resident) then the economic sector code 1-9."""
    if value and not _KBE.match(value.strip()):
        raise ValidationError(
            _(
                "The КБе is two digits: 1 for a resident or 2 for a non-resident, then the "
                "sector code from 1 to 9 (such as 17)."
            ),
            code="kbe_format",
        )

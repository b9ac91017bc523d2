"""Kazakhstan phone numbers, normalised to ``+7XXXXXXXXXX``."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def phone_normalise(value: str) -> str:
    """Accept ``+7 701 123-45-67``, ``8 (701) 1234567``, ``7011234567``; return ``+77011234567``."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if re.search(r"[^\d\s()+\-.]", raw) or (
        raw.startswith("+") and (len(digits) != 11 or not digits.startswith("7"))
    ):
        digits = ""
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        raise ValidationError(
            _("Enter a phone number starting with +7 and 10 more digits, e.g. +7 701 123 45 67."),
            code="phone",
        )
    return f"+7{digits}"

"""Template filter ``kzt``, available in every template (registered as a builtin)."""

from decimal import Decimal

from django import template

from eventum.money import format_kzt

register = template.Library()


@register.filter(name="kzt")
def kzt(amount: Decimal | int | str | None) -> str:
    return format_kzt(amount)

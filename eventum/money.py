"""Money in KZT, written as people in Kazakhstan write it: ``12 500 ₸``, ``1 250,50 ₸``."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
TENGE_SIGN = "₸"


def format_kzt(amount: Decimal | int | str | None) -> str:
    """Group thousands with non-breaking spaces, show tiyn only when there are any."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups)
    if fraction != "00":
        text = f"{text},{fraction}"
    return f"{sign}{text}{NBSP}{TENGE_SIGN}"

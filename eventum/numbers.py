"""Whole numbers typed or posted by a visitor: ids, quantities, counts.

``str.isdigit`` accepts "²" and "٣", and Python refuses ``int()`` of more than 4,300 digits
(a ``ValueError`` that would be a 500), so every such field is read through here.
"""

# A database id (bigint) has at most 19 digits; a longer string is never one of ours.
MAX_DIGITS = 18


def whole_number(raw: object, *, max_digits: int = MAX_DIGITS) -> int | None:
    """``raw`` as a non-negative int if it is plain ASCII digits (at most ``max_digits``),
    else ``None``: "7" → 7; "", "-1", " 1", "²", "1.0" and 4,400 zeros → ``None``."""
    text = "" if raw is None else str(raw)
    if not (0 < len(text) <= max_digits and text.isascii() and text.isdigit()):
        return None
    return int(text)

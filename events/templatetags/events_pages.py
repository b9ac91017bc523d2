"""Pieces of the catalogue and event pages: ``{% cover_picture event "card" %}`` (the cover as
a ``<picture>`` with WebP and JPEG sizes) and ``{{ session.starts_at|when }}`` (a date as buyers
read it in each language)."""

from datetime import datetime
from typing import Any

from django import template
from django.utils import formats, timezone, translation

from events.images import cover_picture as cover_sources
from events.models import Event

register = template.Library()

# How wide the picture is drawn, for the browser to pick a size: a catalogue card, the hero.
SIZES = {
    "card": "(min-width: 1100px) 340px, (min-width: 600px) 50vw, 100vw",
    "hero": "(min-width: 1100px) 1040px, 100vw",
}

ARTWORK_PALETTES = 6


@register.inclusion_tag("events/_cover_picture.html")
def cover_picture(event: Event, variant: str = "card") -> dict[str, Any]:
    return {
        "sources": cover_sources(event),
        "sizes": SIZES.get(variant, SIZES["card"]),
        "variant": variant,
        "event": event,
        # Events without a cover get an artwork of their title in their category's colours.
        "palette": (event.category_id or 0) % ARTWORK_PALETTES,
    }


def _date_parts(value: datetime) -> tuple[str, str, str, str]:
    """Day and month, year, short weekday and time of ``value`` in Almaty, in the language.

    Russian and Kazakh write the weekday (and Kazakh the month) in lower case mid-sentence.
    """
    local = timezone.localtime(value)
    language = (translation.get_language() or "ru").split("-")[0]
    day_month = formats.date_format(local, "j M" if language == "en" else "j E")
    weekday = formats.date_format(local, "D")
    if language in ("ru", "kk"):
        day_month, weekday = day_month.lower(), weekday.lower()
    return day_month, formats.date_format(local, "Y"), weekday, formats.time_format(local, "H:i")


@register.filter
def when(value: datetime | None, part: str = "") -> str:
    """A session's date as buyers read it: "18 декабря, пт, 19:00" (ru), "18 желтоқсан, жм,
    19:00" (kk), "Fri 18 Dec, 19:00" (en).

    ``part``: "" (all), "year" (with the year), "day" (day and month), "time" (weekday, time).
    """
    if value is None:
        return ""
    day_month, year, weekday, clock = _date_parts(value)
    english = (translation.get_language() or "").startswith("en")
    if part == "day":
        return day_month
    if part == "time":
        return f"{weekday}, {clock}"
    if part == "year":
        day_month = f"{day_month} {year}"
    if english:
        return f"{weekday} {day_month}, {clock}"
    return f"{day_month}, {weekday}, {clock}"

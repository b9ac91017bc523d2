"""Posters drawn with Pillow for the demo events: a gradient in two colours, a steppe ornament
and the title in the bundled Noto Sans. No third-party picture is used."""

import math
import random
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from events.demo.descriptions import DESCRIPTIONS, VENUES
from events.images import cover_process
from events.models import Event

POSTER_SIZE = (1600, 900)
FONT_BOLD = Path(settings.BASE_DIR) / "static" / "fonts" / "noto-sans" / "NotoSans-Bold.ttf"
FONT_REGULAR = Path(settings.BASE_DIR) / "static" / "fonts" / "noto-sans" / "NotoSans-Regular.ttf"
# Two colours of a gradient per palette (the catalogue's fallback artwork uses the same hues).
PALETTES = [
    ((11, 87, 208), (106, 27, 154)),
    ((0, 105, 92), (11, 87, 208)),
    ((179, 38, 30), (138, 75, 0)),
    ((74, 20, 140), (173, 20, 87)),
    ((27, 94, 32), (0, 105, 92)),
    ((55, 71, 79), (11, 87, 208)),
]


def _gradient(size: tuple[int, int], start: tuple[int, int, int], end: tuple[int, int, int]):
    width, height = size
    small = Image.new("RGB", (64, 36))
    pixels = small.load()
    assert pixels is not None
    for x in range(64):
        for y in range(36):
            share = (x / 63 + y / 35) / 2
            pairs = zip(start, end, strict=True)
            pixels[x, y] = tuple(round(a + (b - a) * share) for a, b in pairs)
    return small.resize((width, height), Image.Resampling.BICUBIC)


def _ornament(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: int, fill) -> None:
    """A four-horned ``қошқар мүйіз`` rosette made of circles and arcs."""
    cx, cy = centre
    for angle in range(0, 360, 90):
        rad = math.radians(angle)
        x, y = cx + radius * 0.55 * math.cos(rad), cy + radius * 0.55 * math.sin(rad)
        r = radius * 0.45
        draw.arc((x - r, y - r, x + r, y + r), angle + 90, angle + 330, fill=fill, width=10)
    core = radius * 0.18
    draw.ellipse((cx - core, cy - core, cx + core, cy + core), fill=fill)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def poster_draw(*, title: str, subtitle: str, palette: int, seed: int = 0) -> Image.Image:
    """A 16:9 poster: ``title`` large at the bottom left, ``subtitle`` (small) above it."""
    start, end = PALETTES[palette % len(PALETTES)]
    image = _gradient(POSTER_SIZE, start, end)
    layer = Image.new("RGBA", POSTER_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    rng = random.Random(seed)
    for _index in range(5):
        radius = rng.randint(90, 260)
        centre = (rng.randint(700, 1550), rng.randint(40, 600))
        _ornament(draw, centre, radius, (255, 255, 255, rng.randint(40, 90)))
    for _index in range(3):
        r = rng.randint(200, 420)
        x, y = rng.randint(-100, 1600), rng.randint(-100, 900)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 18))
    # A dark band behind the text keeps it readable whatever the colours.
    draw.rectangle((0, 560, POSTER_SIZE[0], POSTER_SIZE[1]), fill=(0, 0, 0, 70))
    image = Image.alpha_composite(image.convert("RGBA"), layer)
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.truetype(str(FONT_BOLD), 96)
    lines = _wrapped(draw, title, title_font, POSTER_SIZE[0] - 160)[:2]
    y = POSTER_SIZE[1] - 80 - 110 * len(lines)
    draw.text((80, y - 70), subtitle, font=ImageFont.truetype(str(FONT_REGULAR), 48), fill="white")
    for line in lines:
        draw.text((80, y), line, font=title_font, fill="white")
        y += 110
    return image.convert("RGB")


def poster_file(**kwargs) -> ContentFile:
    """``poster_draw`` as a JPEG file for an ``ImageField``."""
    buffer = BytesIO()
    poster_draw(**kwargs).save(buffer, "JPEG", quality=90)
    return ContentFile(buffer.getvalue())


def demo_event_dress(event: Event) -> None:
    """Give a demo event its poster, its full description and its venue's Kazakh and English
    names, unless it already has them.

    Demo databases made before posters existed get them on the next seed; a cover or a text
    the organizer changed is kept.
    """
    texts = DESCRIPTIONS.get(event.slug)
    if texts and len(event.description_ru or "") < 100:
        event.description_ru, event.description_kk, event.description_en = texts
        event.save(update_fields=["description_ru", "description_kk", "description_en"])
    venue = event.venue
    names = VENUES.get(venue.name_ru or "")
    if names and not venue.name_kk:
        venue.name_kk, venue.name_en, venue.address_kk, venue.address_en = names
        venue.save(update_fields=["name_kk", "name_en", "address_kk", "address_en"])
    if not event.cover:
        # The organizer's name, not the title: one picture serves readers of every language.
        poster = poster_file(
            title=event.organizer.public_name,
            subtitle="",
            palette=event.category_id or 0,
            seed=event.pk,
        )
        event.cover.save(f"{event.slug}.jpg", poster, save=True)
        cover_process(event)

"""PDF tickets: one WeasyPrint document per order, a page per ticket, with a QR code.

The sales code turns its orders into :class:`TicketPrint` values and calls
:func:`render_tickets_pdf`; this module knows nothing about the database. A per-ticket
download is the same call with a one-element list.

Speed matters (a whole order is rendered in one document): the stylesheet and its
``@font-face`` fonts are parsed once per thread and reused, the QR code is a tiny PNG
data URI, and only ``file:`` and ``data:`` URLs are fetched (no HTTP at render time).
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import qrcode
import qrcode.constants
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

ALMATY = ZoneInfo("Asia/Almaty")
QR_MASK = 2
# 16 mm at about 380 dpi: sharp in print, small in the file.
LOGO_MAX_PIXELS = 240
LAYOUTS = ("a4", "phone")
TEMPLATE = "tickets/pdf/tickets.html"
STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "tickets" / "pdf.css"

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TicketPrint:
    """Everything printed on one ticket, already read from the database."""

    event_title: str
    session_starts_at: datetime
    venue_name: str
    venue_address: str
    city: str
    ticket_type_name: str
    price: Decimal
    order_code: str
    buyer_name: str
    secret: str
    organizer_name: str
    ticket_number: str
    doors_open_at: datetime | None = None
    organizer_logo_path: str | Path | None = None
    seat_label: str = ""
    status_label: str = ""  # tickets.order_status's words, as on the order page
    # An open-dated ticket of a service: its days instead of the session's time.
    valid_from: date | None = None
    valid_until: date | None = None


def qr_png_data_uri(data: str) -> str:
    """Return the QR code for ``data`` as a ``data:image/png`` URI, one pixel a module.

    The image is tiny (well under a kilobyte) and printed large with
    ``image-rendering: pixelated``, so the modules stay sharp at any size; this is several
    times cheaper for WeasyPrint than an SVG path of the same code. A 4-module quiet zone
    is included, as scanners need it.
    """
    # A fixed mask skips scoring all eight masks, which is most of qrcode's time. Every
    # mask is valid for every reader; the score only steers clear of rare module patterns
    # that look like finder marks, and the large print with a quiet zone scans well.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=QR_MASK
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_tickets_pdf(
    tickets: Sequence[TicketPrint], *, layout: str = "a4", language: str = "ru"
) -> bytes:
    """Render ``tickets`` into one PDF, a page per ticket, and return its bytes.

    ``layout`` is ``"a4"`` (office printer) or ``"phone"`` (an 80 × 160 mm page that reads
    well on a phone screen); ``language`` is one of ``settings.LANGUAGES``. Dates are shown
    in Asia/Almaty whatever the active time zone is.
    """
    if not tickets:
        raise ValueError("render_tickets_pdf() needs at least one ticket")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown ticket layout {layout!r}; expected one of {LAYOUTS}")
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")

    with translation.override(language), timezone.override(ALMATY):
        html = render_to_string(
            TEMPLATE,
            {
                "layout": layout,
                "language": language,
                "tickets": [_page_context(ticket) for ticket in tickets],
            },
        )
    resources = _resources()
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=resources.url_fetcher)
    return document.write_pdf(stylesheets=[resources.stylesheet], font_config=resources.font_config)


def _page_context(ticket: TicketPrint) -> dict[str, object]:
    logo = ticket.organizer_logo_path
    return {
        "ticket": ticket,
        "starts_at": timezone.localtime(ticket.session_starts_at, ALMATY),
        "doors_open_at": (
            timezone.localtime(ticket.doors_open_at, ALMATY) if ticket.doors_open_at else None
        ),
        "logo_url": _logo_data_uri(logo) if logo else "",
        "qr_url": qr_png_data_uri(ticket.secret),
    }


def _logo_data_uri(path: str | Path) -> str:
    """The organizer's logo shrunk to print size, as a PNG data URI; "" if unreadable.

    Uploaded logos are often far larger than the 16 mm they are printed at, and WeasyPrint
    decodes and re-compresses every image of every document; the shrunk copy is cached
    (per file version) so an order, and the next order, pay for a thumbnail only.
    """
    try:
        stat = Path(path).stat()
    except OSError:
        logger.warning("Organizer logo %s is missing; the ticket is printed without it", path)
        return ""
    return _shrunk_logo(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=128)
def _shrunk_logo(path: str, mtime_ns: int, size: int) -> str:
    try:
        with Image.open(path) as image:
            image.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
            if image.mode not in {"1", "L", "LA", "RGB", "RGBA"}:
                image = image.convert("RGBA")
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
    except (OSError, ValueError):  # PIL.UnidentifiedImageError is an OSError
        logger.warning("Organizer logo %s is not a readable image; printed without it", path)
        return ""
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@dataclass(frozen=True, slots=True)
class _Resources:
    font_config: FontConfiguration
    stylesheet: CSS
    url_fetcher: URLFetcher


_local = threading.local()


def _resources() -> _Resources:
    """The parsed stylesheet, its fonts and a URL fetcher, made once per thread.

    Parsing the CSS and registering the bundled fonts costs about as much as laying out a
    page, so it is done once and reused; WeasyPrint's objects are not shared between
    threads. The fetcher opens local files (fonts, the organizer's logo) and data URIs
    only, never the network.
    """
    resources = getattr(_local, "resources", None)
    if resources is None:
        url_fetcher = URLFetcher(allowed_protocols={"file", "data"})
        font_config = FontConfiguration()
        stylesheet = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=url_fetcher)
        resources = _local.resources = _Resources(font_config, stylesheet, url_fetcher)
    return resources

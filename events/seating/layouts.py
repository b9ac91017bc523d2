"""Seat map layouts: read from JSON or CSV, or made by generators, always validated.

A layout is a list of ``SeatSpec`` plus the category names it uses. Nothing here writes to the
database (``events.seating.services`` does); every problem is a ``LayoutError`` whose message
the organizer can read and fix.

JSON::

    {"categories": [{"name": "Партер", "color": "#c0392b"}],
     "seats": [{"section": "Партер", "row": "1", "number": "1", "x": 0, "y": 0,
                "category": "Партер"}]}

CSV (header required; ``label`` optional)::

    section,row,number,x,y,category
    Партер,1,1,0,0,Партер
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_SEATS = 5000
MAX_COORDINATE = 100_000
SEAT_STEP = 30  # distance between neighbouring seats made by the generators
ROW_STEP = 34
DEFAULT_COLORS = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#975a16"]
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


class LayoutError(ValueError):
    """The layout cannot be used; ``message`` says why (translated)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass
class SeatSpec:
    section: str
    row: str
    number: str
    x: int
    y: int
    category: str
    label: str = ""

    def full_label(self) -> str:
        return self.label or seat_label(self.section, self.row, self.number)


@dataclass
class Layout:
    seats: list[SeatSpec] = field(default_factory=list)
    colors: dict[str, str] = field(default_factory=dict)  # category name → colour

    @property
    def category_names(self) -> list[str]:
        names = list(self.colors)
        for seat in self.seats:
            if seat.category not in names:
                names.append(seat.category)
        return names


def seat_label(section: str, row: str, number: str) -> str:
    """The stored label: “Партер, ряд 5, место 12” (Russian, as the map's data); pages,
    tickets and e-mails show it in the reader's language (``seat_label_shown``)."""
    return f"{section}, ряд {row}, место {number}"


_STORED_LABEL = re.compile(r"^(?P<section>.+), ряд (?P<row>[^,]+), место (?P<number>[^,]+)$")


def seat_label_shown(label: str) -> str:
    """A stored seat label with the words “row” and “seat” in the current language. A label
    the organizer wrote themselves (in an imported map) is shown as written; the section is
    the organizer's own name of that part of the hall."""
    found = _STORED_LABEL.match(label or "")
    if found is None:
        return label
    return _("%(section)s, row %(row)s, seat %(number)s") % found.groupdict()


def _text(value, what: str, line: int, max_length: int) -> str:
    text = str(value if value is not None else "").strip()
    if not text:
        raise LayoutError(_("Seat %(line)d: %(what)s is empty.") % {"line": line, "what": what})
    if len(text) > max_length:
        raise LayoutError(
            _("Seat %(line)d: %(what)s is longer than %(max)d characters.")
            % {"line": line, "what": what, "max": max_length}
        )
    return text


def _coordinate(value, what: str, line: int) -> int:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= MAX_COORDINATE:
        raise LayoutError(
            _("Seat %(line)d: %(what)s must be a number from 0 to %(max)d.")
            % {"line": line, "what": what, "max": MAX_COORDINATE}
        )
    return round(number)


def seat_from_mapping(row: dict, line: int) -> SeatSpec:
    """One seat from a JSON object or a CSV row; raises ``LayoutError``."""
    if not isinstance(row, dict):
        raise LayoutError(_("Seat %(line)d is not an object.") % {"line": line})
    label = str(row.get("label") or "").strip()
    if len(label) > 120:
        raise LayoutError(_("Seat %(line)d: the label is too long.") % {"line": line})
    return SeatSpec(
        section=_text(row.get("section"), _("the section"), line, 60),
        row=_text(row.get("row"), _("the row"), line, 10),
        number=_text(row.get("number"), _("the seat number"), line, 10),
        x=_coordinate(row.get("x"), "x", line),
        y=_coordinate(row.get("y"), "y", line),
        category=_text(row.get("category"), _("the category"), line, 60),
        label=label,
    )


def layout_validate(layout: Layout) -> Layout:
    """Check size, duplicates and colours; returns the layout or raises ``LayoutError``."""
    if not layout.seats:
        raise LayoutError(_("The layout has no seats."))
    if len(layout.seats) > MAX_SEATS:
        raise LayoutError(
            _("A seat map may have at most %(max)d seats; this one has %(count)d.")
            % {"max": MAX_SEATS, "count": len(layout.seats)}
        )
    seen: set[tuple[str, str, str]] = set()
    for seat in layout.seats:
        key = (seat.section, seat.row, seat.number)
        if key in seen:
            raise LayoutError(
                _("The seat “%(label)s” appears twice.") % {"label": seat.full_label()}
            )
        seen.add(key)
    for name, color in layout.colors.items():
        if not COLOR_RE.match(color):
            raise LayoutError(
                _("The colour of category “%(name)s” must look like #2b6cb0.") % {"name": name}
            )
    names = layout.category_names
    for index, name in enumerate(names):
        layout.colors.setdefault(name, DEFAULT_COLORS[index % len(DEFAULT_COLORS)])
    return layout


def layout_from_json(text: str) -> Layout:
    """A layout from the JSON format above; raises ``LayoutError``."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise LayoutError(_("The file is not valid JSON.")) from exc
    if isinstance(data, list):
        data = {"seats": data}
    if not isinstance(data, dict) or not isinstance(data.get("seats"), list):
        raise LayoutError(_("The JSON must have a list of “seats”."))
    colors: dict[str, str] = {}
    for category in data.get("categories") or []:
        if not isinstance(category, dict) or not str(category.get("name") or "").strip():
            raise LayoutError(_("Every category needs a “name”."))
        name = str(category["name"]).strip()[:60]
        colors[name] = (
            str(category.get("color") or "").strip()
            or DEFAULT_COLORS[len(colors) % len(DEFAULT_COLORS)]
        )
    if len(data["seats"]) > MAX_SEATS:
        raise LayoutError(
            _("A seat map may have at most %(max)d seats; this one has %(count)d.")
            % {"max": MAX_SEATS, "count": len(data["seats"])}
        )
    seats = [seat_from_mapping(row, n) for n, row in enumerate(data["seats"], start=1)]
    return layout_validate(Layout(seats=seats, colors=colors))


CSV_COLUMNS = {"section", "row", "number", "x", "y", "category"}


def layout_from_csv(text: str) -> Layout:
    """A layout from CSV with a header (comma or semicolon separated); raises ``LayoutError``."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = {(name or "").strip().lower() for name in reader.fieldnames or []}
    missing = CSV_COLUMNS - header
    if missing:
        raise LayoutError(
            _("The CSV header lacks the columns: %(columns)s.")
            % {"columns": ", ".join(sorted(missing))}
        )
    seats = []
    for n, row in enumerate(reader, start=1):
        if n > MAX_SEATS:
            raise LayoutError(_("A seat map may have at most %(max)d seats.") % {"max": MAX_SEATS})
        clean = {(k or "").strip().lower(): v for k, v in row.items()}
        seats.append(seat_from_mapping(clean, n))
    return layout_validate(Layout(seats=seats))


def layout_from_file(name: str, content: bytes) -> Layout:
    """JSON or CSV by the file name (or by the first character when unsure)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LayoutError(_("The file must be UTF-8 text.")) from exc
    if name.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
        return layout_from_json(text)
    return layout_from_csv(text)


def generate_block(
    *,
    section: str,
    category: str,
    rows: int,
    seats_per_row: int,
    first_row: int = 1,
    origin_x: int = 0,
    origin_y: int = 0,
    stagger: bool = False,
) -> list[SeatSpec]:
    """A rectangular block: ``rows`` × ``seats_per_row``, numbered left to right.

    ``stagger`` shifts every second row by half a seat, as in halls where seats do not stand
    right behind each other.
    """
    seats = []
    for r in range(rows):
        shift = SEAT_STEP // 2 if stagger and r % 2 else 0
        for s in range(seats_per_row):
            seats.append(
                SeatSpec(
                    section=section,
                    row=str(first_row + r),
                    number=str(s + 1),
                    x=origin_x + shift + s * SEAT_STEP,
                    y=origin_y + r * ROW_STEP,
                    category=category,
                )
            )
    return seats


ROW_LINE_RE = re.compile(r"^\s*(\S+)\s+(\d+)(?:\s+(-?\d+))?\s*$")


def generate_rows(
    *, section: str, category: str, rows_text: str, origin_x: int = 0, origin_y: int = 0
) -> list[SeatSpec]:
    """Rows of different lengths, one line each: ``<row label> <seats> [offset in seats]``.

    Without an offset a row is centred on the longest one, as in an amphitheatre.
    """
    parsed = []
    for n, line in enumerate(rows_text.splitlines(), start=1):
        if not line.strip():
            continue
        match = ROW_LINE_RE.match(line)
        if not match or not 1 <= int(match.group(2)) <= 200:
            raise LayoutError(
                _("Line %(line)d: write “row seats [offset]”, e.g. “5 24 2”.") % {"line": n}
            )
        parsed.append((match.group(1)[:10], int(match.group(2)), match.group(3)))
    if not parsed:
        raise LayoutError(_("Write at least one row."))
    widest = max(count for _label, count, _offset in parsed)
    seats = []
    for r, (label, count, offset) in enumerate(parsed):
        start = int(offset) * SEAT_STEP if offset is not None else (widest - count) * SEAT_STEP // 2
        for s in range(count):
            seats.append(
                SeatSpec(
                    section=section,
                    row=label,
                    number=str(s + 1),
                    x=max(origin_x + start + s * SEAT_STEP, 0),
                    y=origin_y + r * ROW_STEP,
                    category=category,
                )
            )
    return seats

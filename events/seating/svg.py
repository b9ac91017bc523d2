"""The hall plan as SVG, rendered on the server (buyers' map and the cabinet preview).

Each seat is a ``<circle>`` with its id, category and label in data attributes; colours are
presentation attributes (allowed by the strict CSP, unlike inline styles) and state classes
(taken, held, mine) are added by ``seatmap.js``. Rows are labelled at their left end and
sections above their first row. Built as one string because a 2,000-seat hall
renders much faster this way than through a template loop.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from events.seating.layouts import seat_label_shown

SEAT_RADIUS = 11
MARGIN = 40
STAGE_HEIGHT = 40


@dataclass(frozen=True)
class SeatDot:
    pk: int
    x: int
    y: int
    label: str
    section: str
    row: str
    category_id: int


def _section_labels(seats: list[SeatDot]) -> list[str]:
    """Each section's name centred just above its first row."""
    bounds: dict[str, list[int]] = {}
    for seat in seats:
        box = bounds.setdefault(seat.section, [seat.x, seat.x, seat.y])
        box[0], box[1], box[2] = min(box[0], seat.x), max(box[1], seat.x), min(box[2], seat.y)
    return [
        f'<text class="seatmap-section" x="{(low + high) // 2}" y="{top - SEAT_RADIUS - 6}" '
        f'text-anchor="middle">{escape(section)}</text>'
        for section, (low, high, top) in bounds.items()
        if section
    ]


def seat_map_svg(
    *,
    seats: list[SeatDot],
    colors: dict[int, str],
    blocked: set[int] = frozenset(),
    categories: dict[int, str] | None = None,
) -> SafeString:
    """The plan of ``seats`` (colour per category id); ``blocked`` seats are drawn as blocked.

    ``categories`` (category id → “VIP, 25 000 ₸”) completes each seat's name for screen
    readers and the tooltip: section, row, seat, category and price, not a colour to decode.
    """
    categories = categories or {}
    if not seats:
        return mark_safe("")
    min_x = min(s.x for s in seats)
    max_x = max(s.x for s in seats)
    min_y = min(s.y for s in seats)
    max_y = max(s.y for s in seats)
    left = min_x - MARGIN - 20
    top = min_y - MARGIN - STAGE_HEIGHT
    width = max_x - min_x + 2 * MARGIN + 20
    height = max_y - min_y + 2 * MARGIN + STAGE_HEIGHT
    plan_label = escape(_("Hall plan"))
    stage_label = escape(_("Stage"))
    parts = [
        f'<svg class="seatmap-svg" xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} '
        f'{width} {height}" data-viewbox="{left} {top} {width} {height}" role="group" '
        f'aria-label="{plan_label}">',
        # The buyer's choice is striped and ringed: it differs from every category's plain colour.
        '<defs><pattern id="seatmap-mine-pattern" patternUnits="userSpaceOnUse" width="6" '
        'height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#111827">'
        '</rect><rect width="3" height="6" fill="#ffffff"></rect></pattern></defs>',
        f'<rect class="seatmap-stage" x="{min_x}" y="{top + 4}" width="{max(max_x - min_x, 60)}"'
        f' height="{STAGE_HEIGHT - 16}" rx="6"></rect>',
        f'<text class="seatmap-stage-label" x="{(min_x + max_x) // 2}" y="{top + 22}" '
        f'text-anchor="middle">{stage_label}</text>',
    ]
    row_starts: dict[tuple[str, str], SeatDot] = {}
    for seat in seats:
        key = (seat.section, seat.row)
        if key not in row_starts or seat.x < row_starts[key].x:
            row_starts[key] = seat
    for (_section, row), first in row_starts.items():
        parts.append(
            f'<text class="seatmap-row" x="{first.x - 2 * SEAT_RADIUS}" y="{first.y + 4}" '
            f'text-anchor="end">{escape(row)}</text>'
        )
    for seat in seats:
        state = " seat--blocked" if seat.pk in blocked else ""
        shown = seat_label_shown(seat.label)
        label = escape(shown)
        about = categories.get(seat.category_id, "")
        name = escape(f"{shown} — {about}" if about else shown)
        parts.append(
            f'<circle class="seat{state}" cx="{seat.x}" cy="{seat.y}" r="{SEAT_RADIUS}" '
            f'fill="{escape(colors.get(seat.category_id, "#888888"))}" data-seat="{seat.pk}" '
            f'data-category="{seat.category_id}" data-label="{label}" '
            f'data-about="{escape(about)}" tabindex="0" role="button" aria-label="{name}">'
            f"<title>{name}</title></circle>"
        )
    parts.extend(_section_labels(seats))  # on top of the seats, but clicks pass through
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every value above is a number or escaped

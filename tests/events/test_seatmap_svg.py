"""The server-rendered hall plan names its sections."""

import re

from events.seating.svg import SEAT_RADIUS, SeatDot, seat_map_svg


def _dot(pk: int, section: str, x: int, y: int) -> SeatDot:
    return SeatDot(
        pk=pk, x=x, y=y, label=f"{section} {pk}", section=section, row="1", category_id=1
    )


def test_each_section_is_labelled_once_centred_above_its_first_row():
    seats = [
        _dot(1, "Партер", 0, 100),
        _dot(2, "Партер", 60, 100),
        _dot(3, "Партер", 30, 134),
        _dot(4, "Балкон <b>", 200, 300),
        _dot(5, "Балкон <b>", 260, 300),
    ]
    svg = str(seat_map_svg(seats=seats, colors={1: "#2b6cb0"}))
    labels = re.findall(
        r'<text class="seatmap-section" x="(\d+)" y="(-?\d+)"[^>]*>([^<]*)</text>', svg
    )
    assert labels == [
        ("30", str(100 - SEAT_RADIUS - 6), "Партер"),
        ("230", str(300 - SEAT_RADIUS - 6), "Балкон &lt;b&gt;"),
    ]
    assert "<b>" not in svg
    assert svg.index("seatmap-section") > svg.rindex("<circle")  # drawn over the seats


def test_the_event_page_map_names_the_section(client, django_db_setup, db):
    from tests.events.seatmap_factories import seated_session

    session, _seat_map = seated_session(rows=2, seats_per_row=3)
    page = client.get(session.event.get_absolute_url()).content.decode()
    assert re.search(r'<text class="seatmap-section"[^>]*>Партер</text>', page)

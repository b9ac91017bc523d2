"""Hall plans of reserved seating: layouts (import, generators), seat maps, the SVG preview,
how a session is sold by a map (prices per category) and the organizer's seat blocks.
Buyers' holds and sold seats are ``tickets.seating``."""

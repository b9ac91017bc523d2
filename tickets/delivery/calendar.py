"""The order's sessions as an iCalendar file (.ics): on the order page and attached to the e-mail.

One event per session the order holds valid tickets for. The UID is stable per order and
session, and the SEQUENCE grows with the session's start, so a calendar that imported the
file before the organizer moved the session updates the entry instead of adding a second one.
"""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.seating.layouts import seat_label_shown
from tickets.delivery.links import site_url
from tickets.models import Order, OrderItem

# A session without an end time lasts this long in the calendar.
DEFAULT_DURATION = timedelta(hours=2)
PRODUCT_ID = "-//eventum//tickets//RU"


def _sequence(starts_at: datetime) -> int:
    """Grows whenever the session moves later or earlier (minutes since 2020, as an integer)."""
    epoch = datetime(2020, 1, 1, tzinfo=UTC)
    return max(0, int((starts_at - epoch).total_seconds() // 60))


def _valid_items(order: Order) -> list[OrderItem]:
    return [
        item
        for item in order.items.select_related("ticket_type__session")
        if item.status == OrderItem.Status.VALID
    ]


def order_calendar(order: Order) -> bytes:
    """The .ics of the order's sessions, in the order's language."""
    language = order.language if order.language in dict(settings.LANGUAGES) else None
    with translation.override(language or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        # a session's tickets share one entry; open-dated ones one per window of days
        sessions: dict[tuple[int, date | None], list[OrderItem]] = {}
        for item in _valid_items(order):
            sessions.setdefault((item.ticket_type.session_id, item.valid_until), []).append(item)
        venue = order.event.venue
        location = ", ".join(filter(None, [venue.name, venue.address, str(venue.city)]))
        for (session_id, valid_until), items in sessions.items():
            session = items[0].ticket_type.session
            entry = CalendarEvent()
            uid = f"order-{order.code}-session-{session_id}"
            if valid_until is not None:
                uid = f"{uid}-until-{valid_until:%Y%m%d}"
            entry.add("uid", f"{uid}@{settings.SITE_DOMAIN}")
            entry.add("sequence", _sequence(session.starts_at))
            entry.add("dtstamp", timezone.now())
            if valid_until is not None:  # open-dated: the whole days it admits on
                entry.add("dtstart", items[0].valid_from)
                entry.add("dtend", valid_until + timedelta(days=1))
            else:
                entry.add("dtstart", session.starts_at)
                entry.add("dtend", session.ends_at or session.starts_at + DEFAULT_DURATION)
            entry.add("summary", str(order.event.title))
            entry.add("location", location)
            # the event's public page: a calendar may be shared, the order's own link is secret
            entry.add("url", site_url(order.event.get_absolute_url()))
            seats = [seat_label_shown(item.seat_label) for item in items if item.seat_label]
            lines = [
                _("Order %(code)s, tickets: %(count)s") % {"code": order.code, "count": len(items)},
                *seats,
                _("The tickets are in your e-mail and your account on eventum."),
            ]
            entry.add("description", "\n".join(lines))
            calendar.add_component(entry)
        return calendar.to_ical()

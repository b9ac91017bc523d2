"""Date chips of the event page in a browser: a tap swaps in that date's tickets without a
reload, the address follows (so Back and a shared link show the same date)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Event
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chip_shows_its_dates_tickets_in_place(live_server, phone_page):
    event = EventFactory(status=Event.Status.PUBLISHED)
    sessions = []
    for days, name in ((4, "Утренний"), (11, "Вечерний")):
        session = SessionFactory(event=event, starts_at=timezone.now() + timedelta(days=days))
        TicketTypeFactory(session=session, name_ru=name, price=Decimal("3000"))
        sessions.append(session)
    page = phone_page
    page.goto(live_server.url + event.get_absolute_url())
    page.evaluate("window.__notReloaded = true")
    panel = page.locator("#session-panel")
    assert "Утренний" in panel.inner_text()
    page.locator(".session-chip").nth(1).click()
    page.wait_for_url(f"**?session={sessions[1].pk}#sessions")
    panel.get_by_text("Вечерний").wait_for()
    assert "Утренний" not in panel.inner_text()
    assert page.evaluate("window.__notReloaded === true")  # swapped, not reloaded
    current = page.locator(".session-chip[aria-current=true]")
    assert current.get_attribute("data-session") == str(sessions[1].pk)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

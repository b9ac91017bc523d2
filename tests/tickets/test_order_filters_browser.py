"""The order list's searchable filters on a phone: typing part of an event's title brings the
server's suggestions, choosing one filters the list, and no drop-down lists every event."""

from decimal import Decimal

import pytest

from tests.factories import PASSWORD, EventFactory, MembershipFactory, TicketTypeFactory
from tests.tickets.flows import place_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_an_event_suggests_it_and_filters_the_list(live_server, phone_page, artifacts_dir):
    jazz = EventFactory(title_ru="Ночь джаза", title="Ночь джаза")
    organizer = jazz.organizer
    others = [
        EventFactory(organizer=organizer, title_ru=f"Концерт {n}", title=f"Концерт {n}")
        for n in range(25)
    ]
    jazz_orders = {
        place_order({TicketTypeFactory(session__event=jazz, price=Decimal("0")): 1}).code
        for _n in range(2)
    }
    other_orders = {
        place_order({TicketTypeFactory(session__event=event, price=Decimal("0")): 1}).code
        for event in others[:3]
    }
    MembershipFactory(organizer=organizer, role="owner", user__email="boss@jazz.kz")
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "boss@jazz.kz")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/cabinet/{organizer.slug}/orders/")
    codes = set(page.locator("table.orders tbody tr td:first-child a").all_inner_texts())
    assert jazz_orders | other_orders <= {code.strip() for code in codes}
    assert page.locator("select option", has_text="Концерт 24").count() == 0  # typed, not listed

    page.locator("input[name=event]").press_sequentially("джаз", delay=50)
    suggestion = page.locator("#suggest-event option").first
    suggestion.wait_for(state="attached")
    assert suggestion.get_attribute("value") == "Ночь джаза"
    assert page.locator("#suggest-event option").count() == 1

    page.locator("input[name=event]").fill(suggestion.get_attribute("value"))
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    codes = {
        code.strip()
        for code in page.locator("table.orders tbody tr td:first-child a").all_inner_texts()
    }
    assert codes == jazz_orders
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(artifacts_dir / "order-filters-390.png"), full_page=True)

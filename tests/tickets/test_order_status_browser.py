"""Order statuses as a buyer sees them on a phone and a desktop, in ru, kk and en."""

import pytest

from tests.tickets.test_order_status import STATES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "ru": ("Оплата отклонена", "Частично возвращён"),
    "kk": ("Төлем қабылданбады", "Ішінара қайтарылды"),
    "en": ("Payment declined", "Partly refunded"),
}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_declined_and_partly_refunded_orders_say_so_in_words(
    live_server, page, phone_page, artifacts_dir, language
):
    prefix = "" if language == "ru" else f"/{language}"
    orders = {"declined": STATES["declined"][0](), "partly": STATES["partly"][0]()}
    for index, (state, order) in enumerate(orders.items()):
        for width, tab in (("1280", page), ("390", phone_page)):
            tab.goto(live_server.url + prefix + order.get_absolute_url())
            badge = tab.locator("[data-testid=order-status]")
            assert badge.inner_text() == WORDS[language][index]
            assert badge.is_visible()
            assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            tab.screenshot(
                path=str(artifacts_dir / f"order-status-{state}-{language}-{width}.png"),
                full_page=True,
            )

"""The buyer's after-sale pages on a phone in Kazakh and English: returning tickets, giving one
away and joining a waiting list fit 390 px and read in the page's language."""

from decimal import Decimal

import pytest

from tests.factories import TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order
from tickets.models import TransferRules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "kk": ("Билеттерді қайтару", "Билетті басқа адамға беру", "Күту тізімі"),
    "en": ("Return tickets", "Give a ticket to someone else", "Waiting list"),
}


@pytest.mark.parametrize("language", ["kk", "en"])
def test_after_sale_pages_fit_a_phone(live_server, phone_page, artifacts_dir, language):
    tt = TicketTypeFactory(price=Decimal("5000"), quantity=2)
    TransferRules.objects.create(event=tt.session.event, allowed=True)
    order = paid_order(tt=tt, quantity=2)
    page = phone_page
    paths = (
        f"/{language}/orders/{order.code}/refund/?s={order.secret}",
        f"/{language}/orders/{order.code}/transfer/?s={order.secret}",
        f"/{language}/orders/waitlist/{tt.pk}/",
    )
    for path, heading, name in zip(
        paths, HEADINGS[language], ("refund", "transfer", "waitlist"), strict=True
    ):
        page.goto(live_server.url + path)
        assert page.locator("h1").inner_text() == heading
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(
            path=str(artifacts_dir / f"aftersale-{name}-390-{language}.png"), full_page=True
        )

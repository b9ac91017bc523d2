"""A buyer returns one ticket of two on a phone: the page names the money before confirming,
fits the screen, and afterwards the order page shows the ticket refunded."""

from decimal import Decimal

import pytest

from tests.factories import TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order
from tickets.models import OrderItem, RefundPolicy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"


def test_buyer_returns_a_ticket_on_a_phone(live_server, phone_page, artifacts_dir):
    tt = TicketTypeFactory(price=Decimal("8000"), quantity=10)
    RefundPolicy.objects.create(event=tt.session.event, fee_kind="fixed", fee_value=500)
    order = paid_order(tt=tt, quantity=2)
    first = order.items.order_by("id").first()
    page = phone_page

    page.goto(live_server.url + order.get_absolute_url())
    page.locator("[data-testid=refund-link] a").click()
    page.wait_for_selector("[data-testid=refund-confirm]")
    assert page.locator("[data-testid=refund-amount]").inner_text() == f"15{NBSP}000{NBSP}₸"
    page.locator(f"#refund-item-{first.pk}").uncheck()
    page.get_by_role("button", name="Пересчитать для отмеченных билетов").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=refund-amount]").inner_text() == f"7{NBSP}500{NBSP}₸"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "refund-self-service-390-ru.png"), full_page=True)

    page.get_by_role("button", name=f"Вернуть и получить 7{NBSP}500{NBSP}₸").click()
    page.wait_for_selector("[data-testid=order-status]")

    assert "Билеты возвращены" in page.content()
    statuses = list(order.items.order_by("id").values_list("status", flat=True))
    assert statuses == [OrderItem.Status.VALID, OrderItem.Status.REFUNDED]
    page.screenshot(path=str(artifacts_dir / "refund-done-390-ru.png"), full_page=True)

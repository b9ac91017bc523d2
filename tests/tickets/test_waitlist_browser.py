"""The waiting list walked on a phone: a sold-out ticket, joining the list, a ticket coming
back, the offer's link taken up into the checkout and paid."""

import re
from decimal import Decimal

import pytest

from tests.factories import TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order
from tickets.models import Order, WaitlistEntry
from tickets.services.order_lifecycle import order_cancel
from tickets.services.order_states import Actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_join_get_an_offer_and_buy_on_a_phone(live_server, phone_page, artifacts_dir, mailoutbox):
    tt = TicketTypeFactory(price=Decimal("4000"), quantity=1)
    sold = paid_order(tt=tt, quantity=1, email="first@example.kz")
    page = phone_page

    page.goto(live_server.url + tt.session.event.get_absolute_url())
    page.locator("[data-testid=waitlist-join]").first.click()
    page.fill("#id_email", "waiting@example.kz")
    page.check("#id_consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "waitlist-join-390-ru.png"), full_page=True)
    page.get_by_role("button", name="Встать в лист ожидания").click()
    page.wait_for_load_state()
    assert "Вы в листе ожидания" in page.content()
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.WAITING

    mailoutbox.clear()
    order_cancel(order_id=sold.pk, actor=Actor(label="organizer"))  # the ticket comes back

    (offer,) = [m for m in mailoutbox if m.to == ["waiting@example.kz"]]
    link = re.search(r"http\S+/orders/waitlist/offer/\S+/", offer.body).group(0)
    page.goto(live_server.url + link[link.index("/orders/") :])
    page.screenshot(path=str(artifacts_dir / "waitlist-offer-390-ru.png"), full_page=True)
    page.get_by_role("button", name="Забрать билет").click()
    page.wait_for_url("**/orders/checkout/")
    page.fill("#id_surname", "Сеитова")
    page.fill("#id_name", "Дана")
    page.fill("#id_phone", "+7 701 765 43 21")
    page.fill("#id_email", "waiting@example.kz")
    page.check("#id_consent_processing")
    page.get_by_role("button", name="Перейти к оплате").click()
    page.wait_for_url("**/orders/*/?s=*")
    page.get_by_role("button", name=re.compile("Оплатить")).first.click()
    page.wait_for_url("**/orders/pay/test/**")
    page.get_by_role("button", name="Подтвердить оплату").click()
    page.wait_for_url("**/orders/*/**")

    order = Order.objects.get(email="waiting@example.kz")
    assert order.status == Order.Status.PAID
    assert order.items.get().ticket_type_id == tt.pk
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.USED

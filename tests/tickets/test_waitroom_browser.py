"""The waiting room walked on a phone: sent to the queue from the event page, the place shown
and polled, admitted by the page itself, tickets chosen and paid; and without JavaScript."""

import re
from decimal import Decimal

import pytest

from tests.factories import TicketTypeFactory
from tests.tickets.waitroom_helpers import admit_everyone, room_on
from tickets.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_queue_admission_and_purchase_on_a_phone(live_server, phone_page, artifacts_dir, settings):
    settings.WAITROOM_POLL_SECONDS = 1
    ticket_type = TicketTypeFactory(price=Decimal("6000"), quantity=10, name_ru="Танцпол")
    event = ticket_type.session.event
    room_on(event)
    admit_everyone(event.pk)  # the queue is full ahead: the visitor waits
    page = phone_page

    page.goto(live_server.url + event.get_absolute_url())
    page.wait_for_url(f"**/orders/queue/{event.pk}/**")
    assert page.locator("[data-testid=queue-position]").inner_text() == "1"
    assert "Ваше место в очереди" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "waitroom-queue-390-ru.png"), full_page=True)

    admit_everyone(event.pk)  # the visitor's turn: the page's poll takes them on by itself
    page.wait_for_url(f"**{event.get_absolute_url()}", timeout=15_000)
    page.fill(f"#qty-{ticket_type.pk}", "2")
    page.get_by_role("button", name="Выбрать билеты").first.click()
    page.wait_for_url("**/orders/checkout/")
    page.fill("#id_surname", "Сеитова")
    page.fill("#id_name", "Дана")
    page.fill("#id_phone", "+7 701 765 43 21")
    page.fill("#id_email", "queue@example.kz")
    page.check("#id_consent_processing")
    page.get_by_role("button", name="Перейти к оплате").click()
    page.wait_for_url("**/orders/*/?s=*")
    page.get_by_role("button", name=re.compile("Оплатить")).first.click()
    page.wait_for_url("**/orders/pay/test/**")
    page.get_by_role("button", name="Подтвердить оплату").click()
    page.wait_for_url("**/orders/*/**")
    order = Order.objects.get(email="queue@example.kz")
    assert order.status == Order.Status.PAID
    assert order.items.count() == 2


def test_the_queue_page_refreshes_itself_without_javascript(live_server, browser, settings):
    settings.WAITROOM_POLL_SECONDS = 1
    ticket_type = TicketTypeFactory(quantity=5)
    event = ticket_type.session.event
    room_on(event)
    admit_everyone(event.pk)
    context = browser.new_context(
        locale="ru-RU", java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + event.get_absolute_url())
    page.wait_for_url(f"**/orders/queue/{event.pk}/**")
    assert page.locator("[data-testid=queue-position]").inner_text() == "1"
    admit_everyone(event.pk)
    page.wait_for_url(f"**{event.get_absolute_url()}")  # the meta refresh brought the turn
    assert page.locator(f"#qty-{ticket_type.pk}").count() == 1
    context.close()

"""The issue's acceptance walk in a real browser, as a new buyer would do it."""

from decimal import Decimal

import pytest

from events.models import TicketType
from tests.factories import PASSWORD, TicketTypeFactory, UserFactory
from tests.tickets.factories import PromoCodeFactory, QuestionFactory
from tests.tickets.helpers import PNG
from tickets.models import Order, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # account or cabinet


def test_buy_two_ticket_types_with_promo_and_attachment_then_see_the_paid_order(
    live_server, page, artifacts_dir, tmp_path
):
    stalls = TicketTypeFactory(
        session__event__title_ru="Ночь домбры", name_ru="Партер", price=Decimal("12500")
    )
    session = stalls.session
    balcony = TicketTypeFactory(session=session, name_ru="Балкон", price=Decimal("7000"))
    event = session.event
    PromoCodeFactory(organizer=event.organizer, event=event, code="DOMBRA10", value=10)
    question = QuestionFactory(
        event=event, kind=Question.Kind.FILE, label="Справка о льготе", required=True
    )
    user = UserFactory(email="new-buyer@example.kz")
    _sign_in(page, live_server, user)

    page.goto(live_server.url + event.get_absolute_url())
    page.fill(f"#qty-{stalls.pk}", "2")
    page.fill(f"#qty-{balcony.pk}", "1")
    page.get_by_role("button", name="Выбрать билеты").first.click()
    page.wait_for_url("**/orders/checkout/")
    assert "32\u00a0000\u00a0₸" in page.locator("main").inner_text()
    timer = page.locator(".js-timer").inner_text()
    assert timer.startswith("14:") or timer.startswith("15:")

    page.fill("#id_code", "dombra10")
    page.get_by_role("button", name="Применить").click()
    page.wait_for_url("**/orders/checkout/")
    assert "28\u00a0800\u00a0₸" in page.locator("[data-testid=total]").inner_text()

    attachment = tmp_path / "benefit.png"
    attachment.write_bytes(PNG)
    page.fill("#id_surname", "Иванова")
    page.fill("#id_name", "Айгерим")
    page.fill("#id_phone", "+7 701 123 45 67")
    page.set_input_files(f"#id_q_{question.pk}", str(attachment))
    page.check("#id_consent_processing")
    page.screenshot(path=str(artifacts_dir / "tickets-1-checkout.png"), full_page=True)
    page.get_by_role("button", name="Перейти к оплате").click()
    page.wait_for_url("**/orders/*/?s=*")
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING

    page.get_by_role("button", name="Оплатить").click()
    page.wait_for_url("**/orders/pay/test/**")
    assert "28\u00a0800\u00a0₸" in page.locator("[data-testid=amount]").inner_text()
    page.get_by_role("button", name="Подтвердить оплату").click()
    page.wait_for_url("**/orders/*/**")
    assert page.locator("[data-testid=order-status]").inner_text() == "Оплачен"
    page.screenshot(path=str(artifacts_dir / "tickets-2-paid.png"), full_page=True)

    page.goto(live_server.url + "/account/")
    page.get_by_role("link", name="Мои заказы").click()
    assert order.code in page.locator("main").inner_text()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.user == user
    assert order.total == Decimal("28800.00")
    assert order.answers.get().file_content_type == "image/png"
    assert TicketType.objects.get(pk=stalls.pk).quantity_taken == 2


def test_a_second_browser_cannot_buy_the_last_ticket_the_first_holds(live_server, page, browser):
    last = TicketTypeFactory(name_ru="Последний", quantity=1)
    url = live_server.url + last.session.event.get_absolute_url()
    page.goto(url)
    page.fill(f"#qty-{last.pk}", "1")
    page.get_by_role("button", name="Выбрать билеты").first.click()
    page.wait_for_url("**/orders/checkout/")

    other = browser.new_context(locale="ru-RU").new_page()
    try:
        other.goto(url)
        assert "Распродан" in other.locator("main").inner_text()
        assert other.locator(f"#qty-{last.pk}").is_disabled()
    finally:
        other.context.close()
    assert TicketType.objects.get(pk=last.pk).quantity_taken == 1


def test_checkout_with_a_blocked_email_is_refused_with_what_to_do(live_server, page, artifacts_dir):
    from privacy.models import BlockingRequest
    from privacy.services import blocking_request_create

    stalls = TicketTypeFactory(price=Decimal("5000"))
    event = stalls.session.event
    # Only received: staff have not acted on it yet, and it blocks already.
    blocking_request_create(
        request=BlockingRequest(
            requester_kind=BlockingRequest.RequesterKind.SUBJECT,
            requester_name="Айгерим Иванова",
            grounds=BlockingRequest.Grounds.UNLAWFUL,
            subject_email="blocked-buyer@example.kz",
        )
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + event.get_absolute_url())
    page.fill(f"#qty-{stalls.pk}", "1")
    page.get_by_role("button", name="Выбрать билеты").first.click()
    page.wait_for_url("**/orders/checkout/")
    page.fill("#id_surname", "Иванова")
    page.fill("#id_name", "Айгерим")
    page.fill("#id_phone", "+7 701 123 45 67")
    page.fill("#id_email", "Blocked-Buyer@example.kz")
    page.check("#id_consent_processing")
    page.get_by_role("button", name="Перейти к оплате").click()
    page.wait_for_url("**/orders/checkout/")
    text = page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "tickets-blocked-checkout.png"), full_page=True)
    assert "заблокированы по запросу" in text and "info@eventum.one" in text
    assert not Order.objects.exists()

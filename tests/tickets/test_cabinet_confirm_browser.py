"""The confirmation pages of destructive cabinet actions in a real browser, on a phone: the
buttons fill the screen without a sideways scroll; a wrong title stops the cancellation; the
refund button names the amount."""

from decimal import Decimal

import pytest

from events.models import Event
from tests.factories import PASSWORD, MembershipFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.models import Order
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_states import Actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"


def _paid_order(tt, quantity):
    order = place_order({tt: quantity}, email="buyer@example.kz")
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    return order


def _sign_in(page, url, email):
    page.goto(url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for box in page.locator(".confirm-actions > *").all():
        width = box.bounding_box()["width"]
        assert width > 300  # a full-width touch target, not a small link


def test_cancel_an_event_and_refund_on_a_phone(live_server, phone_page, artifacts_dir):
    tt = TicketTypeFactory(price=Decimal("5000"), quantity=20)
    event = tt.session.event
    organizer = event.organizer
    order = _paid_order(tt, quantity=2)
    MembershipFactory(organizer=organizer, role="manager", user__email="m@example.kz")
    page = phone_page
    _sign_in(page, live_server.url, "m@example.kz")

    page.goto(f"{live_server.url}/cabinet/{organizer.slug}/events/{event.pk}/")
    page.get_by_role("link", name="Отменить событие").click()
    page.wait_for_selector("[data-testid=cancel-figures]")
    assert page.locator("[data-testid=figure-tickets]").inner_text() == "2"
    assert page.locator("[data-testid=figure-amount]").inner_text() == f"10{NBSP}000{NBSP}₸"
    _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "confirm-event-cancel-390-ru.png"), full_page=True)

    page.get_by_label("Для подтверждения введите название события").fill("Другое название")
    page.get_by_role("button", name="Отменить событие и вернуть деньги").click()
    page.wait_for_selector("text=Название не совпадает")
    page.screenshot(path=str(artifacts_dir / "confirm-event-cancel-error-390.png"), full_page=True)
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED

    page.get_by_label("Для подтверждения введите название события").fill(f" {event.title_ru} ")
    page.get_by_role("button", name="Отменить событие и вернуть деньги").click()
    page.wait_for_selector("text=Событие отменено")
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED

    # The same page in Kazakh and English, and on a desktop.
    other = TicketTypeFactory(session__event__organizer=organizer).session.event
    for language in ("kk", "en"):
        page.goto(
            f"{live_server.url}/{language}/cabinet/{organizer.slug}/events/{other.pk}/cancel/"
        )
        _fits_the_phone(page)
        page.screenshot(
            path=str(artifacts_dir / f"confirm-event-cancel-390-{language}.png"), full_page=True
        )
    desktop = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    desktop.add_cookies(page.context.cookies())
    wide = desktop.new_page()
    wide.goto(f"{live_server.url}/cabinet/{organizer.slug}/events/{other.pk}/cancel/")
    wide.screenshot(path=str(artifacts_dir / "confirm-event-cancel-1280.png"), full_page=True)
    desktop.close()


def test_refund_chosen_tickets_names_the_amount(live_server, phone_page, artifacts_dir):
    tt = TicketTypeFactory(price=Decimal("5000"), quantity=20)
    organizer = tt.session.event.organizer
    order = _paid_order(tt, quantity=3)
    MembershipFactory(organizer=organizer, role="manager", user__email="m@example.kz")
    page = phone_page
    _sign_in(page, live_server.url, "m@example.kz")

    page.goto(f"{live_server.url}/cabinet/{organizer.slug}/orders/{order.code}/")
    page.locator("input[name=item]").first.check()
    page.get_by_role("button", name="Вернуть выбранные билеты").click()
    page.wait_for_selector("[data-testid=refund-figures]")
    assert Order.objects.get(pk=order.pk).refunded_amount == 0
    _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "confirm-refund-390-ru.png"), full_page=True)

    page.get_by_role("button", name=f"Вернуть 5{NBSP}000{NBSP}₸").click()
    page.wait_for_selector("text=Возврат записан")
    order.refresh_from_db()
    assert order.refunded_amount == Decimal("5000.00")
    assert order.status == Order.Status.PAID

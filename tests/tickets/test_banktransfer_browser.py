"""Bank transfer in a real browser on a phone: the buyer picks it and reads the bank details;
the accountant uploads the statement and the order is paid. No page scrolls sideways at 390 px,
in Russian, Kazakh and English."""

import pytest

from tests.factories import PASSWORD, MembershipFactory
from tests.tickets.banktransfer_helpers import (
    company_order,
    document,
    statement,
    transfer_ticket_type,
)
from tickets.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, url, email):
    page.goto(url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_buyer_pays_by_transfer_and_the_statement_pays_the_order(
    live_server, phone_page, artifacts_dir, tmp_path
):
    ticket_type = transfer_ticket_type()
    organizer = ticket_type.session.event.organizer
    order = company_order(ticket_type, count=2)
    page = phone_page

    page.goto(live_server.url + order.get_absolute_url())
    page.get_by_label("Банковский перевод по счёту (для организаций)").check()
    page.get_by_role("button", name="Оплатить").click()
    details = page.get_by_test_id("bank-details")
    details.wait_for()
    assert organizer.iban in details.inner_text()
    assert f"Оплата по заказу {order.code}" in details.inner_text()
    _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "bank-transfer-order-390-ru.png"), full_page=True)
    for language in ("kk", "en"):
        page.goto(f"{live_server.url}/{language}{order.get_absolute_url()}")
        _fits_the_phone(page)
        page.screenshot(
            path=str(artifacts_dir / f"bank-transfer-order-390-{language}.png"), full_page=True
        )

    MembershipFactory(organizer=organizer, role="accountant", user__email="acc@example.kz")
    _sign_in(page, live_server.url, "acc@example.kz")
    cabinet = f"{live_server.url}/cabinet/{organizer.slug}/bank-transfers/"
    page.goto(cabinet)
    page.get_by_test_id("bank-waiting-row").wait_for()
    _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "bank-transfers-390-ru.png"), full_page=True)
    file = tmp_path / "kl_to_1c.txt"
    file.write_bytes(
        statement(
            document(number="154", purpose=f"Оплата по заказу {order.code}"),
            document(number="155", amount="7000.00", purpose="Оплата по договору 12"),
            encoding="cp1251",
        )
    )
    page.get_by_label("Банковская выписка (файл обмена с 1С, .txt)").set_input_files(str(file))
    page.get_by_role("button", name="Загрузить").click()
    page.get_by_test_id("bank-line").wait_for()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "bank-transfers-imported-390-ru.png"), full_page=True)
    for language in ("kk", "en"):
        page.goto(f"{live_server.url}/{language}/cabinet/{organizer.slug}/bank-transfers/")
        _fits_the_phone(page)
        page.screenshot(
            path=str(artifacts_dir / f"bank-transfers-390-{language}.png"), full_page=True
        )
    page.goto(f"{live_server.url}/cabinet/{organizer.slug}/bank-transfers/{order.code}/return/")
    _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "bank-transfer-return-390-ru.png"), full_page=True)
    desktop = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    desktop.add_cookies(page.context.cookies())
    wide = desktop.new_page()
    wide.goto(cabinet)
    wide.screenshot(path=str(artifacts_dir / "bank-transfers-1280-ru.png"), full_page=True)
    desktop.close()

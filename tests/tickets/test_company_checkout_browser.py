"""A company checkout in a real browser on a phone (390 px): the organisation's fields appear
once the box is ticked, a wrong БИН is an error under its field, the order keeps the
organisation; and the same form without JavaScript."""

from decimal import Decimal

import pytest

from tests.factories import SessionFactory, TicketTypeFactory
from tickets.models import Order, OrderCompany

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stalls(policy):
    session = SessionFactory(
        event__allow_company_purchases=True,
        event__title_ru="Ночь домбры",
        event__title_kk="Домбыра түні",
        event__title_en="Dombra Night",
    )
    return TicketTypeFactory(session=session, name_ru="Партер", price=Decimal("12500"))


def _to_checkout(page, live_server, stalls, prefix: str = "") -> None:
    page.goto(live_server.url + prefix + stalls.session.event.get_absolute_url())
    page.fill(f"#qty-{stalls.pk}", "2")
    page.locator(f"#qty-{stalls.pk}").press("Enter")
    page.wait_for_url("**/orders/checkout/")


def _buyer(page) -> None:
    page.fill("#id_surname", "Иванова")
    page.fill("#id_name", "Айгерим")
    page.fill("#id_phone", "+7 701 123 45 67")
    page.fill("#id_email", "aigerim@example.kz")
    page.check("#id_consent_processing")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_company_checkout_on_a_phone(live_server, phone_page, artifacts_dir, stalls):
    page = phone_page
    _to_checkout(page, live_server, stalls)
    assert not page.locator("#id_company_bin").is_visible()  # hidden until the box is ticked
    page.check("#id_as_company")
    assert page.locator("#id_company_bin").is_visible()
    _fits(page)
    _buyer(page)
    page.fill("#id_company_name", "ТОО «Алтын Дала»")
    page.fill("#id_company_bin", "1903 4001 2349")  # one digit wrong
    page.fill("#id_company_address", "г. Астана, ул. Кенесары, 40")
    page.fill("#id_holder_names", "Болат Нурланов\nСауле Ким")
    page.screenshot(path=str(artifacts_dir / "checkout-company-ru-390.png"), full_page=True)
    page.locator("button[type=submit].primary").click()
    page.wait_for_load_state()
    error = page.locator(".checkout-company .errorlist").first
    assert "контрольная цифра" in error.inner_text()
    assert page.locator("#id_company_bin").is_visible()  # the box stays ticked
    _fits(page)
    page.fill("#id_company_bin", "190340012348")
    page.check("#id_consent_processing")
    page.locator("button[type=submit].primary").click()
    page.wait_for_url("**/orders/*/**")
    company = OrderCompany.objects.get()
    assert company.bin_iin == "190340012348"
    order = Order.objects.get()
    assert sorted(order.items.values_list("holder_name", flat=True)) == [
        "Болат Нурланов",
        "Сауле Ким",
    ]
    assert "ТОО «Алтын Дала»" in page.content()
    _fits(page)
    page.screenshot(path=str(artifacts_dir / "order-company-ru-390.png"), full_page=True)


@pytest.mark.parametrize("language", ["kk", "en"])
def test_company_part_speaks_the_language_and_fits(
    live_server, phone_page, artifacts_dir, stalls, language
):
    page = phone_page
    _to_checkout(page, live_server, stalls, prefix=f"/{language}")
    page.check("#id_as_company")
    text = page.locator(".checkout-company").inner_text()
    expected = {"kk": "Ұйым үшін сатып аламын", "en": "I buy for an organisation"}[language]
    assert expected in text
    _fits(page)
    page.screenshot(
        path=str(artifacts_dir / f"checkout-company-{language}-390.png"), full_page=True
    )


def test_company_checkout_works_without_javascript(browser, live_server, stalls):
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _to_checkout(page, live_server, stalls)
        page.check("#id_as_company")
        _buyer(page)
        page.fill("#id_company_name", "ТОО «Алтын Дала»")
        page.fill("#id_company_bin", "190340012348")
        page.fill("#id_company_address", "г. Астана")
        page.locator("button[type=submit].primary").click()
        page.wait_for_url("**/orders/*/**")
        assert OrderCompany.objects.get().legal_name == "ТОО «Алтын Дала»"
    finally:
        context.close()

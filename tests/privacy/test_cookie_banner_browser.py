"""The cookie banner in a real browser: choose in place, nothing optional before consent."""

import pytest

from privacy.models import ConsentRecord
from privacy.services.cookies import COOKIE_NAME, cookie_choice_parse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _consent_cookie(page):
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get(COOKIE_NAME)


def test_choose_in_the_banner_then_reopen_it_from_the_footer(live_server, page, artifacts_dir):
    page.goto(live_server.url + "/")
    banner = page.locator("#cookie-banner")
    assert banner.is_visible()
    assert _consent_cookie(page) is None
    assert {c["name"] for c in page.context.cookies()} <= {"csrftoken", "sessionid"}
    page.screenshot(path=str(artifacts_dir / "privacy-cookie-banner.png"), full_page=True)

    banner.get_by_text("Выбрать cookies").click()
    banner.get_by_label("Аналитические").check()
    banner.get_by_role("button", name="Сохранить мой выбор cookies").click()
    banner.wait_for(state="hidden")
    assert page.url == live_server.url + "/"  # saved in place, no reload
    choice = cookie_choice_parse(_consent_cookie(page))
    assert (choice.analytics, choice.marketing) == (True, False)
    assert set(ConsentRecord.objects.values_list("purpose", "action")) == {
        ("cookies_analytics", "given"),
        ("cookies_marketing", "withdrawn"),
    }

    page.get_by_role("contentinfo").get_by_role("link", name="Настройки cookies").click()
    assert banner.is_visible()
    assert banner.get_by_label("Аналитические").is_checked()
    banner.get_by_role("button", name="Только необходимые cookies").click()
    banner.wait_for(state="hidden")
    assert not cookie_choice_parse(_consent_cookie(page)).analytics


def test_banner_works_without_javascript(live_server, browser):
    context = browser.new_context(locale="ru-RU", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.locator("#cookie-banner").get_by_role("button", name="Разрешить все cookies").click()
        page.wait_for_load_state()
        assert not page.locator("#cookie-banner").is_visible()
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert cookie_choice_parse(cookies[COOKIE_NAME]).marketing
    finally:
        context.close()

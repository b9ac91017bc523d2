"""A buyer's first steps in a real browser: home page → event page → sign-up."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import TicketTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_to_event_to_sign_up(live_server, page, artifacts_dir):
    ticket_type = TicketTypeFactory(session__event__title_ru="Ночь домбры", price=12500)
    event = ticket_type.session.event

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.screenshot(path=str(artifacts_dir / "smoke-1-home.png"), full_page=True)

    page.get_by_role("link", name="Ночь домбры").first.click()
    page.wait_for_url(f"**/events/{event.slug}/")
    assert "12\u00a0500\u00a0₸" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "smoke-2-event.png"), full_page=True)

    page.get_by_role("link", name="Регистрация").click()
    page.fill("input[name=email]", "browser-buyer@example.kz")
    page.fill("input[name=password1]", "a-long-browser-pass-31")
    page.fill("input[name=password2]", "a-long-browser-pass-31")
    page.screenshot(path=str(artifacts_dir / "smoke-3-signup.png"), full_page=True)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.screenshot(path=str(artifacts_dir / "smoke-4-verify.png"), full_page=True)

    assert get_user_model().objects.filter(email="browser-buyer@example.kz").exists()
    assert [m.to for m in mail.outbox] == [["browser-buyer@example.kz"]]


def test_language_switch_in_the_browser(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Privacy policy").is_visible()

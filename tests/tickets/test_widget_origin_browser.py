"""A partner page on a site the organizer never registered: the console says which origin to
register; the buyer's button opens the event on the portal, never a blank frame."""

import pytest

from tests.tickets import test_widget_browser as partner_pages
from tests.tickets.test_widget_browser import LOG_JS, PAGE, _events

partner_site = partner_pages.partner_site  # the same fixture: a partner's page on its own origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_BUTTON = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Club</title></head><body>
<button id="own" data-eventum-event="{paid}" data-lang="en">Tickets</button>
<script src="{portal}/widget/embed.js" async></script>
</body></html>
"""


def test_unregistered_site_gets_a_console_hint_and_buyers_a_portal_link(
    live_server,
    page,
    partner_site,
    artifacts_dir,
):
    folder, origin = partner_site("club")
    free, paid = _events("https://registered.example.kz")
    (folder / "log.js").write_text(LOG_JS)
    (folder / "index.html").write_text(
        PAGE.format(
            free=free.session.event.slug, paid=paid.session.event.slug, portal=live_server.url
        )
    )
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(origin + "/index.html")
    link = page.locator("#buy-free a")
    link.wait_for()
    assert link.inner_text() == "Купить билеты"
    assert link.get_attribute("href") == live_server.url + free.session.event.get_absolute_url()
    assert link.get_attribute("target") == "_blank"
    hints = [text for text in errors if origin in text]
    assert hints, errors
    assert "не зарегистрирован" in hints[0]
    assert f"/cabinet/{free.session.event.organizer.slug}/embed/" in hints[0]
    page.screenshot(path=str(artifacts_dir / "widget-unregistered-site.png"))

    with page.context.expect_page() as opened:
        link.click()
    portal = opened.value
    portal.wait_for_load_state()
    assert portal.url == live_server.url + free.session.event.get_absolute_url()
    assert portal.locator("h1").inner_text() == "Джаз"
    assert page.locator("[data-eventum-modal]").count() == 0  # no blank frame
    assert "opened" in page.locator("#log").inner_text()
    portal.close()


def test_own_button_on_an_unregistered_site_opens_the_portal_in_a_new_tab(
    live_server,
    page,
    partner_site,
):
    folder, origin = partner_site("club-own")
    _free, paid = _events("https://registered.example.kz")
    (folder / "index.html").write_text(
        OWN_BUTTON.format(paid=paid.session.event.slug, portal=live_server.url)
    )
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(origin + "/index.html")
    page.wait_for_function("() => window.EventumWidget && window.EventumWidget.version === 1")
    with page.context.expect_page() as opened:
        page.locator("#own").click()
    portal = opened.value
    portal.wait_for_load_state()
    assert portal.url == live_server.url + "/en" + paid.session.event.get_absolute_url()
    assert page.locator("[data-eventum-modal]").count() == 0
    assert any(origin in text and "is not registered" in text for text in errors), errors
    portal.close()

"""The widget in a real browser: a partner's plain HTML page on another origin sells tickets."""

import functools
import threading
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.factories import TicketTypeFactory
from tickets.models import Order, Payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOG_JS = """
["opened", "closed", "order_completed"].forEach(function (type) {
  document.addEventListener("eventum:" + type, function (e) {
    var line = document.createElement("div");
    line.className = "entry";
    line.textContent = type + (e.detail && e.detail.order ? ":" + e.detail.order : "");
    document.getElementById("log").appendChild(line);
  });
});
"""

PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Партнёр</title>
<style>button, div {{ color: red !important; font-family: serif !important; }}</style>
</head><body>
<h1>Концерты в нашем клубе</h1>
<div id="buy-free" data-eventum-event="{free}" data-lang="ru"></div>
<div id="buy-paid" data-eventum-event="{paid}" data-lang="ru"></div>
<div id="log"></div>
<script src="{portal}/widget/embed.js" async></script>
<script src="/log.js"></script>
</body></html>
"""

# An unregistered site that frames the checkout directly, claiming a registered origin.
FORGED = """<!doctype html>
<html><head><meta charset="utf-8"><title>Чужой сайт</title></head><body>
<iframe id="forged" src="{portal}/widget/start/?event={free}&lang=ru&origin={registered}"></iframe>
</body></html>
"""


@pytest.fixture
def partner_site(tmp_path):
    """Serve a folder over HTTP on a free port of 127.0.0.1; yields (folder, origin) pairs."""
    servers = []

    def start(name: str):
        folder = tmp_path / name
        folder.mkdir()
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return folder, f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        return


def _events(origins: str):
    free = TicketTypeFactory(price=Decimal("0"), quantity=20, session__event__title_ru="Джаз")
    organizer = free.session.event.organizer
    paid = TicketTypeFactory(
        price=Decimal("7000"),
        quantity=20,
        session__event__organizer=organizer,
        session__event__title_ru="Рок",
    )
    organizer.widget_origins = origins
    organizer.save()
    return free, paid


def _fill_buyer(frame, email: str) -> None:
    frame.locator("#id_surname").fill("Иванова")
    frame.locator("#id_name").fill("Айгерим")
    frame.locator("#id_phone").fill("+7 701 123 45 67")
    frame.locator("#id_email").fill(email)
    frame.locator("#id_consent_processing").check()


def test_partner_page_sells_free_and_paid_tickets_in_the_modal(
    live_server, page, partner_site, artifacts_dir
):
    folder, origin = partner_site("partner")
    free, paid = _events(origin)
    (folder / "log.js").write_text(LOG_JS)
    (folder / "index.html").write_text(
        PAGE.format(
            free=free.session.event.slug, paid=paid.session.event.slug, portal=live_server.url
        )
    )
    page.goto(origin + "/index.html")
    log = page.locator("#log")

    # Free tickets: the placeholder became a button in a shadow root, the host's red serif
    # style did not reach it.
    button = page.locator("#buy-free button")
    assert button.inner_text() == "Купить билеты"
    assert button.evaluate("b => getComputedStyle(b).color") != "rgb(255, 0, 0)"
    button.click()
    assert log.locator(".entry").first.inner_text() == "opened"
    frame = page.frame_locator("[data-eventum-modal] iframe")
    frame.locator(f"#qty-{free.pk}").fill("2")
    frame.get_by_role("button", name="Выбрать билеты").click()
    assert "Билеты забронированы для вас" in frame.locator(".hold-timer").inner_text()
    expect(frame.locator("a[href$='/privacy/']")).to_have_count(1)
    _fill_buyer(frame, "free@example.kz")
    page.screenshot(path=str(artifacts_dir / "widget-1-checkout.png"))
    frame.get_by_role("button", name="Получить бесплатные билеты").click()
    page.wait_for_selector("#log .entry:has-text('order_completed:')")
    free_order = Order.objects.get(email="free@example.kz")
    assert free_order.status == Order.Status.PAID
    assert free_order.items.count() == 2
    assert f"order_completed:{free_order.code}" in log.inner_text()
    assert (
        frame.locator("[data-testid=order-status]").inner_text() == "Бесплатный, подтверждён"
    )  # nothing was paid
    page.screenshot(path=str(artifacts_dir / "widget-2-free-done.png"))

    # Escape inside the frame closes the window; the page hears it.
    # Only the key-down is sent: the window closes on it, and a key-up sent to a frame that is
    # being removed is never acknowledged, so a full press could wait for ever.
    frame.locator("h1").click()
    page.keyboard.down("Escape")
    page.wait_for_selector("#log .entry:has-text('closed')")
    assert page.locator("[data-eventum-modal]").count() == 0

    # Paid tickets with the test provider, all inside the modal.
    page.locator("#buy-paid button").click()
    frame = page.frame_locator("[data-eventum-modal] iframe")
    frame.locator(f"#qty-{paid.pk}").fill("1")
    frame.get_by_role("button", name="Выбрать билеты").click()
    _fill_buyer(frame, "paid@example.kz")
    frame.get_by_role("button", name="Перейти к оплате").click()
    frame.locator("button[name=provider][value=test]").click()
    assert "7\u00a0000" in frame.locator("[data-testid=amount]").inner_text()
    frame.get_by_role("button", name="Подтвердить оплату").click()
    expect(page.locator("#log .entry", has_text="order_completed:")).to_have_count(2)
    paid_order = Order.objects.get(email="paid@example.kz")
    assert f"order_completed:{paid_order.code}" in log.inner_text()
    assert paid_order.status == Order.Status.PAID and paid_order.total == Decimal("7000")
    assert Payment.objects.get(order=paid_order).status == Payment.Status.SUCCEEDED
    page.screenshot(path=str(artifacts_dir / "widget-3-paid-done.png"))
    page.locator("[data-eventum-modal] button.close").click()
    assert log.locator(".entry").last.inner_text() == "closed"

    # Nothing of the flow needed or left a cookie on the portal.
    assert page.context.cookies(live_server.url) == []


def test_an_unregistered_site_cannot_frame_the_checkout(live_server, page, partner_site):
    _folder, registered = partner_site("registered")
    folder, stranger = partner_site("stranger")
    free, paid = _events(registered)
    (folder / "log.js").write_text(LOG_JS)
    (folder / "index.html").write_text(
        PAGE.format(
            free=free.session.event.slug, paid=paid.session.event.slug, portal=live_server.url
        )
    )
    (folder / "forged.html").write_text(
        FORGED.format(portal=live_server.url, free=free.session.event.slug, registered=registered)
    )
    refused = []
    page.on("console", lambda message: refused.append(message.text))

    # The snippet copied onto an unregistered site: no blank window, the button links to the
    # portal instead (test_widget_origin_browser follows that link).
    page.goto(stranger + "/index.html")
    expect(page.locator("#buy-free a")).to_have_attribute("target", "_blank")
    assert page.locator("[data-eventum-modal]").count() == 0
    assert not _checkout_frames(page)

    # An iframe that claims a registered origin is still refused by frame-ancestors.
    page.goto(stranger + "/forged.html")
    page.wait_for_timeout(1500)
    assert not _checkout_frames(page)
    assert any("frame-ancestors" in text for text in refused), refused
    assert not Order.objects.exists()


def _checkout_frames(page) -> list:
    """Frames that actually show a widget page (a blocked frame shows the browser's error)."""
    shown = []
    for frame in page.frames:
        if frame == page.main_frame:
            continue
        # Bounded: counting on an error page can wait for ever for a script context.
        try:
            frame.locator("body.widget").wait_for(state="attached", timeout=500)
        except PlaywrightError:  # not there in time, or an error page refused the query
            continue
        shown.append(frame)
    return shown

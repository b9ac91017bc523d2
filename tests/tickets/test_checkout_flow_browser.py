"""The hold timer and the cancel button in a real browser, on a phone and a desktop."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import TicketTypeFactory
from tickets.models import Reservation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stalls(policy):
    return TicketTypeFactory(
        session__event__title_ru="Ночь домбры",
        session__event__title_kk="Домбыра түні",
        session__event__title_en="Dombra Night",
        name_ru="Партер",
        price=Decimal("12500"),
    )


def _choose(page, live_server, stalls) -> None:
    page.goto(live_server.url + stalls.session.event.get_absolute_url())
    page.fill(f"#qty-{stalls.pk}", "2")
    page.locator(f"#qty-{stalls.pk}").press("Enter")
    page.wait_for_url("**/orders/checkout/")


def _hold_ends_in(seconds: int) -> None:
    Reservation.objects.update(expires_at=timezone.now() + timedelta(seconds=seconds))


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_timer_is_calm_then_urgent_in_words_for_the_last_two_minutes(
    live_server, phone_page, artifacts_dir, stalls
):
    page = phone_page
    _choose(page, live_server, stalls)
    timer = page.locator("[data-testid=hold-timer]")
    assert "is-urgent" not in (timer.get_attribute("class") or "")
    assert page.locator(".js-calm").is_visible()
    assert not page.locator(".js-urgent").is_visible()
    assert page.locator(".js-announce").inner_text() == ""
    calm_colour = timer.evaluate("el => getComputedStyle(el).backgroundColor")
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "checkout-timer-calm-ru-390.png"), full_page=True)

    _hold_ends_in(123)
    page.reload()
    assert "is-urgent" not in (timer.get_attribute("class") or "")
    page.locator(".js-urgent").wait_for(state="visible", timeout=10_000)
    assert "is-urgent" in timer.get_attribute("class")
    assert "Осталось меньше двух минут" in page.locator(".js-urgent").inner_text()
    assert page.locator(".js-announce").get_attribute("aria-live") == "polite"
    assert "меньше двух минут" in page.locator(".js-announce").inner_text()
    assert timer.evaluate("el => getComputedStyle(el).backgroundColor") != calm_colour
    page.screenshot(path=str(artifacts_dir / "checkout-timer-urgent-ru-390.png"), full_page=True)

    _hold_ends_in(1)
    page.reload()
    page.locator(".js-expired").wait_for(state="visible", timeout=10_000)
    assert "истекло" in page.locator(".js-announce").inner_text()


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_cancel_returns_to_the_event_with_a_message(
    live_server, page, phone_page, artifacts_dir, stalls, language
):
    prefix = "" if language == "ru" else f"/{language}"
    for shot, tab in (("1280", page), ("390", phone_page)):
        tab.goto(live_server.url + prefix + stalls.session.event.get_absolute_url())
        tab.fill(f"#qty-{stalls.pk}", "1")
        tab.locator(f"#qty-{stalls.pk}").press("Enter")
        tab.wait_for_url("**/orders/checkout/")
        _no_sideways_scroll(tab)
        assert tab.locator("html").get_attribute("lang") == language
        tab.screenshot(path=str(artifacts_dir / f"checkout-{language}-{shot}.png"), full_page=True)
        tab.locator("form[action$='/cart/empty/'] button").click()
        tab.wait_for_url(f"**{stalls.session.event.get_absolute_url()}")
        message = tab.locator(".messages .message.success")
        assert message.is_visible()
        assert {"ru": "Оформление отменено", "kk": "Рәсімдеу тоқтатылды", "en": "Checkout"}[
            language
        ] in message.inner_text()
        tab.screenshot(
            path=str(artifacts_dir / f"checkout-cancelled-{language}-{shot}.png"), full_page=True
        )
    assert not Reservation.objects.filter(released_at__isnull=True).exists()

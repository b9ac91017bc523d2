"""The buyer's chosen seat on the hall map: striped and ringed, unlike any price category; its
full name (section, row, seat, category, price) in the list of chosen seats."""

import pytest

from tests.events.seatmap_factories import seat, seated_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_chosen_seat_is_patterned_and_named_in_full(
    live_server, page, phone_page, artifacts_dir, language
):
    session, seat_map = seated_session(rows=6, seats_per_row=12)
    prefix = "" if language == "ru" else f"/{language}"
    colours = {c.lower() for c in seat_map.categories.values_list("color", flat=True)}
    for number, (width, tab) in enumerate((("1280", page), ("390", phone_page)), start=1):
        tab.goto(live_server.url + prefix + session.event.get_absolute_url())
        target = seat(seat_map, 1, number)
        circle = tab.locator(f'circle[data-seat="{target.pk}"]')
        before = circle.evaluate("c => getComputedStyle(c).fill")
        circle.click()
        tab.wait_for_selector(f'circle[data-seat="{target.pk}"].seat--mine')
        style = circle.evaluate(
            "c => { const s = getComputedStyle(c); return [s.fill, s.strokeWidth]; }"
        )
        assert "seatmap-mine-pattern" in style[0]  # a pattern, not one more flat colour
        assert style[0] != before and float(style[1].removesuffix("px")) >= 3
        assert all(colour not in style[0].lower() for colour in colours)
        assert circle.get_attribute("aria-pressed") == "true"
        chosen = tab.locator("[data-testid=chosen-seats]").inner_text()
        # Row and seat in the page's language; the section is the organizer's own word.
        place = {
            "ru": f"ряд 1, место {number}",
            "kk": f"1-қатар, {number}-орын",
            "en": f"row 1, seat {number}",
        }[language]
        assert f"Партер, {place} — VIP, 20\u00a0000\u00a0₸" in chosen
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        tab.locator(".seatmap").screenshot(
            path=str(artifacts_dir / f"seatmap-chosen-{language}-{width}.png")
        )


def test_seat_hold_countdown_turns_urgent_only_in_its_last_two_minutes(
    live_server, phone_page, artifacts_dir
):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.models import Reservation

    session, seat_map = seated_session(rows=3, seats_per_row=6)
    page = phone_page
    page.goto(live_server.url + session.event.get_absolute_url())
    target = page.locator(f'circle[data-seat="{seat(seat_map, 2, 3).pk}"]')
    target.click()
    hold = page.locator(".seatmap-hold")
    hold.wait_for(state="visible")
    assert "is-urgent" not in hold.get_attribute("class")
    assert not page.locator(".js-hold-urgent").is_visible()

    Reservation.objects.update(expires_at=timezone.now() + timedelta(seconds=100))
    page.reload()
    page.locator(".js-hold-urgent").wait_for(state="visible")
    assert "is-urgent" in hold.get_attribute("class")
    assert "Осталось меньше двух минут" in hold.inner_text()
    status = page.locator(".seatmap-status")
    assert status.get_attribute("aria-live") == "polite"
    assert "меньше двух минут" in status.inner_text()
    page.locator(".seatmap-chosen").screenshot(
        path=str(artifacts_dir / "seatmap-hold-urgent-ru-390.png")
    )

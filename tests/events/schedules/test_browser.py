"""Booking a slot on a phone: a day, a time, the tickets, then checkout; the picker does not
scroll sideways and axe finds nothing moderate or worse on it, in ru, kk and en."""

import pytest
from django.utils import timezone

from events.schedules.services import schedule_create
from tests.browser.test_accessibility import AXE, BLOCKING_IMPACTS, RUN_AXE
from tests.browser.test_mobile_layout import MEASURE_JS, MIN_TOUCH_PX
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tickets.models import Reservation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PICKER_TAPS = ".slot-day, .slot-time, .slot-month-step, button, input[type=number]"


@pytest.fixture
def service(settings):
    settings.SCHEDULES_HORIZON_DAYS = 10
    service = ServiceFactory(
        title_ru="Музей кино", title_kk="Кино мұражайы", title_en="Film Museum"
    )
    schedule_create(event=service, data=_rule(times="10:00 15:00"), ticket_types=TEMPLATES)
    return service


def test_book_a_slot_on_a_phone(live_server, phone_page, service, artifacts_dir):
    page = phone_page
    page.goto(live_server.url + service.get_absolute_url())
    page.screenshot(path=str(artifacts_dir / "services-1-month.png"), full_page=True)
    page.locator("a.slot-day").nth(1).click()
    page.wait_for_url("**?day=*")
    page.locator("a.slot-time").first.click()
    page.wait_for_url("**slot=*")
    adult = page.locator("input[type=number]").first
    adult.fill("2")
    page.screenshot(path=str(artifacts_dir / "services-2-slot.png"), full_page=True)
    page.get_by_role("button", name="Выбрать билеты").click()
    page.wait_for_url("**/checkout/")
    held = Reservation.objects.get(released_at__isnull=True)
    assert held.quantity == 2
    assert held.ticket_type.session.event == service
    assert held.ticket_type.session.capacity_pools.get(kind="slot").taken == 2


def test_the_picker_fits_a_phone_and_passes_axe(live_server, browser, service, artifacts_dir):
    context = browser.new_context(
        locale="ru-RU",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,  # axe is injected as a script tag
    )
    page = context.new_page()
    found = {}
    for language in ("ru", "kk", "en"):
        prefix = "" if language == "ru" else f"/{language}"
        page.goto(live_server.url + prefix + service.get_absolute_url())
        page.locator("a.slot-time").first.click()
        page.wait_for_url("**slot=*")
        got = page.evaluate(MEASURE_JS, [PICKER_TAPS, 390, MIN_TOUCH_PX])
        assert got["scrollWidth"] <= 390, got["wide"]
        assert not got["small"], got["small"]
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE, list(BLOCKING_IMPACTS))
        if violations:
            found[language] = violations
        page.screenshot(path=str(artifacts_dir / f"services-picker-{language}.png"), full_page=True)
    context.close()
    assert not found, found


def test_an_organizer_sets_up_a_schedule_on_a_phone(live_server, phone_page, artifacts_dir):
    from tests.factories import PASSWORD, MembershipFactory

    membership = MembershipFactory(role="owner")
    service = ServiceFactory(organizer=membership.organizer, status="draft")
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", membership.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    slug = membership.organizer.slug
    page.goto(f"{live_server.url}/cabinet/{slug}/events/{service.pk}/schedules/new/")
    page.fill("#id_name", "Ежедневный вход")
    for day in ("MO", "WE", "FR", "SA"):
        page.check(f"input[name=weekdays][value={day}]")
    page.fill("#id_times", "10:00 14:00")
    page.fill("#id_valid_from", timezone.localdate().isoformat())
    page.fill("#id_capacity", "25")
    page.fill("#id_tt-0-name_ru", "Взрослый")
    page.fill("#id_tt-0-price", "1500")
    page.get_by_role("button", name="Сохранить расписание").click()
    page.wait_for_url("**/schedules/*/")
    got = page.evaluate(
        MEASURE_JS, ["button, input:not([type=checkbox]):not([type=radio])", 390, 0]
    )
    assert got["scrollWidth"] <= 390, got["wide"]
    page.screenshot(path=str(artifacts_dir / "services-cabinet-schedule.png"), full_page=True)
    assert "RRULE:FREQ=WEEKLY" in page.locator("main").inner_text()
    assert service.sessions.count() > 0
    page.goto(f"{live_server.url}/cabinet/{slug}/events/{service.pk}/day/")
    got = page.evaluate(MEASURE_JS, ["a", 390, 0])
    assert got["scrollWidth"] <= 390, got["wide"]
    page.screenshot(path=str(artifacts_dir / "services-cabinet-day.png"), full_page=True)

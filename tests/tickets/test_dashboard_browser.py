"""The demo organizer in a real browser: dashboard with its chart, order filters, an export."""

import csv
import io

import pytest
from django.core.management import call_command

from organizers.models import Organizer
from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_organizer_dashboard_orders_and_export(live_server, page, artifacts_dir):
    call_command("seed_demo")
    call_command("seed_demo_sales")
    organizer = Organizer.objects.get(slug="dombra-live")
    MembershipFactory(organizer=organizer, role="owner", user__email="boss@dombra.kz")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "boss@dombra.kz")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/cabinet/dombra-live/dashboard/")
    assert page.locator("svg[role=img] rect.chart-bar").count() >= 20
    assert page.locator("table.events-figures tbody tr").count() == 3
    assert "₸" in page.locator("[data-figure=gross]").inner_text()
    page.screenshot(path=str(artifacts_dir / "dashboard-organizer.png"), full_page=True)

    page.get_by_role("link", name="Ночь домбры").click()
    page.wait_for_selector("text=Билеты по сеансам")
    page.screenshot(path=str(artifacts_dir / "dashboard-event.png"), full_page=True)

    page.goto(live_server.url + "/cabinet/dombra-live/orders/")
    page.get_by_label("Статус").select_option(value="refunded")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_load_state()
    statuses = page.locator("table.orders tbody tr td:nth-child(7)").all_inner_texts()
    assert statuses and set(statuses) == {"Возвращён"}

    page.goto(live_server.url + "/cabinet/dombra-live/events/dombra-night-almaty/export/")
    page.get_by_label("CSV").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Выгрузить").click()
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Заказ" and len(rows) > 50

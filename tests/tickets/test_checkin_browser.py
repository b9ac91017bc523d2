"""The issue's acceptance walk: pay, get the PDF by e-mail, scan its QR at the door twice."""

import pypdfium2
import pytest
import zxingcpp
from django.core import mail
from playwright.sync_api import expect

from organizers.models import Membership
from tests.factories import PASSWORD, TicketTypeFactory
from tests.tickets.delivery_helpers import staff_of
from tests.tickets.flows import place_order
from tickets.models import CheckIn, Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=150 / 72).to_pil()
        found += [
            r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        ]
    document.close()
    return found


def test_pay_receive_pdf_and_scan_it_valid_then_already_used(
    live_server, page, phone_page, artifacts_dir
):
    tt = TicketTypeFactory(session__event__title_ru="Ночь домбры — Әуен", name_ru="Партер")
    event = tt.session.event
    order = place_order({tt: 1})
    mail.outbox.clear()

    page.goto(live_server.url + order.get_absolute_url())
    page.get_by_role("button", name="Оплатить").click()
    page.wait_for_url("**/orders/pay/test/**")
    page.get_by_role("button", name="Подтвердить оплату").click()
    page.wait_for_url("**/orders/*/**")
    assert page.locator("[data-testid=order-status]").inner_text() == "Оплачен"
    page.locator("[data-testid=tickets-pdf]").wait_for()
    page.screenshot(path=str(artifacts_dir / "checkin-1-paid-with-pdf.png"), full_page=True)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID

    (message,) = [m for m in mail.outbox if m.to == ["buyer@example.kz"]]
    (_name, pdf, _mimetype) = message.attachments[0]
    (code,) = _qr_codes(pdf)
    assert code.startswith("EVT1:")

    staff = staff_of(event.organizer, role=Membership.Role.CHECKIN)
    phone_page.goto(live_server.url + "/accounts/login/")
    phone_page.fill("input[name=login]", staff.email)
    phone_page.fill("input[name=password]", PASSWORD)
    phone_page.locator("main form button[type=submit]").last.click()
    phone_page.wait_for_url(lambda url: "/accounts/login/" not in url)  # account or cabinet
    phone_page.goto(live_server.url + f"/cabinet/{event.organizer.slug}/checkin/")
    phone_page.get_by_role("link", name=event.title).click()
    result = phone_page.locator("[data-testid=checkin-result]")
    assert "Готов к сканированию" in result.inner_text()

    phone_page.fill("#id_code", code)
    phone_page.get_by_role("button", name="Проверить").click()
    phone_page.wait_for_selector("[data-testid=checkin-result][data-result=valid]")
    assert "Действителен" in result.inner_text()
    # The counters are polled by scanner.js (and refreshed after each scan).
    expect(phone_page.locator("[data-testid=checkin-counters]")).to_contain_text("1 / 1")
    phone_page.screenshot(path=str(artifacts_dir / "checkin-2-valid.png"), full_page=True)

    phone_page.get_by_role("button", name="Проверить").click()
    phone_page.wait_for_selector("[data-testid=checkin-result][data-result=used]")
    assert "Уже использован" in result.inner_text()
    phone_page.screenshot(path=str(artifacts_dir / "checkin-3-used.png"), full_page=True)

    check_in = CheckIn.objects.get()
    assert check_in.by_user == staff
    assert check_in.item.order_id == order.pk

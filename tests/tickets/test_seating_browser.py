"""The issue's acceptance walk: an organizer imports a 500-seat hall, a buyer on a phone picks
two neighbouring seats, pays and gets them printed on the PDF; a second buyer cannot take them.
"""

from decimal import Decimal

import pypdfium2
import pytest
from django.core import mail
from playwright.sync_api import expect

from events.models import SeatMap, TicketType
from organizers.models import Membership
from tests.factories import PASSWORD, MembershipFactory, TicketTypeFactory
from tests.tickets.factories import new_token
from tickets.models import Order, SeatClaim
from tickets.seating.services import SeatUnavailable, seats_hold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _hall_csv(path) -> None:
    lines = ["section,row,number,x,y,category"]
    for row in range(1, 21):
        for number in range(1, 26):
            category = "VIP" if row <= 3 else "Партер"
            lines.append(f"Партер,{row},{number},{number * 30},{row * 34},{category}")
    path.write_text("\n".join(lines), encoding="utf-8")


def _pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text


def _sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # account or cabinet


def test_import_a_hall_pick_two_seats_on_a_phone_pay_and_see_them_on_the_pdf(
    live_server, page, phone_page, browser, artifacts_dir, tmp_path
):
    placeholder = TicketTypeFactory(session__event__title_ru="Симфонический вечер")
    session = placeholder.session
    event = session.event
    placeholder.delete()  # the session is sold by seats only
    organizer = event.organizer
    owner = MembershipFactory(organizer=organizer, role=Membership.Role.OWNER).user

    # The organizer imports the hall and sells the session by its seats.
    _sign_in(page, live_server, owner.email)
    page.goto(live_server.url + f"/cabinet/{organizer.slug}/events/seat-maps/")
    csv_file = tmp_path / "hall.csv"
    _hall_csv(csv_file)
    page.fill("#id_import-name", "Большой зал")
    page.select_option("#id_import-venue", str(event.venue.pk))
    page.set_input_files("#id_import-layout", str(csv_file))
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_url("**/seat-maps/*/")
    assert page.locator("[data-testid=preview] circle[data-seat]").count() == 500
    page.screenshot(path=str(artifacts_dir / "seating-1-imported.png"), full_page=True)
    seat_map = SeatMap.objects.get()

    page.goto(live_server.url + f"/cabinet/{organizer.slug}/events/sessions/{session.pk}/seating/")
    page.select_option("#id_seat_map", str(seat_map.pk))
    page.get_by_role("button", name="Продавать сеанс по местам").click()
    expect(page.locator("main")).to_contain_text("Укажите цену каждой категории")
    vip, stalls = seat_map.categories.order_by("name")
    page.fill(f"#id_price_{vip.pk}", "20000")
    page.fill(f"#id_price_{stalls.pk}", "9000")
    page.get_by_role("button", name="Продавать сеанс по местам").click()
    expect(page.locator("main")).to_contain_text("Сеанс продаётся по местам")
    assert TicketType.objects.get(session=session, name_ru="Партер").price == Decimal("9000")
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity == 425

    # A buyer on a phone zooms in and taps two neighbouring seats.
    phone_page.goto(live_server.url + event.get_absolute_url())
    seat_a = seat_map.seats.get(row="10", number="12")
    seat_b = seat_map.seats.get(row="10", number="13")
    phone_page.get_by_role("button", name="Приблизить").tap()
    chosen = phone_page.locator("[data-testid=chosen-seats] li")
    phone_page.locator(f'circle[data-seat="{seat_a.pk}"]').tap()
    expect(chosen).to_have_count(1)
    phone_page.locator(f'circle[data-seat="{seat_b.pk}"]').tap()
    expect(chosen).to_have_count(2)
    expect(phone_page.locator(".js-hold")).to_contain_text("Места держатся за вами")
    expect(phone_page.locator(f'circle[data-seat="{seat_b.pk}"]')).to_have_class("seat seat--mine")
    phone_page.screenshot(path=str(artifacts_dir / "seating-2-phone-chosen.png"), full_page=True)
    phone_page.get_by_role("link", name="Перейти к оформлению").tap()
    phone_page.wait_for_url("**/orders/checkout/")
    seats_text = phone_page.locator("[data-testid=cart-seats]").inner_text()
    assert "Партер, ряд 10, место 12" in seats_text
    assert "Партер, ряд 10, место 13" in seats_text
    assert "18\u00a0000\u00a0₸" in phone_page.locator("[data-testid=total]").inner_text()
    phone_page.fill("#id_surname", "Сериков")
    phone_page.fill("#id_name", "Нурлан")
    phone_page.fill("#id_phone", "+7 701 555 44 33")
    phone_page.fill("#id_email", "seat-buyer@example.kz")
    phone_page.check("#id_consent_processing")
    phone_page.get_by_role("button", name="Перейти к оплате").tap()
    phone_page.wait_for_url("**/orders/*/?s=*")
    mail.outbox.clear()
    phone_page.get_by_role("button", name="Оплатить").tap()
    phone_page.wait_for_url("**/orders/pay/test/**")
    phone_page.get_by_role("button", name="Подтвердить оплату").tap()
    phone_page.wait_for_url("**/orders/*/**")
    assert phone_page.locator("[data-testid=order-status]").inner_text() == "Оплачен"
    phone_page.screenshot(path=str(artifacts_dir / "seating-3-paid.png"), full_page=True)

    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    (message,) = [m for m in mail.outbox if m.to == ["seat-buyer@example.kz"]]
    (_name, pdf, _mimetype) = message.attachments[0]
    text = _pdf_text(pdf)
    assert "Партер, ряд 10, место 12" in text
    assert "Партер, ряд 10, место 13" in text

    # A second buyer sees both seats sold, and tapping them holds nothing.
    other = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    try:
        other.goto(live_server.url + event.get_absolute_url())
        taken = other.locator(f'circle[data-seat="{seat_a.pk}"]')
        expect(taken).to_have_class("seat seat--taken")
        taken.tap(force=True)  # aria-disabled: a real finger can still tap it
        expect(other.locator("[data-testid=chosen-seats] li")).to_have_count(0)
        other.screenshot(path=str(artifacts_dir / "seating-4-second-buyer.png"), full_page=True)
    finally:
        other.context.close()
    with pytest.raises(SeatUnavailable):
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[seat_a.pk])
    assert SeatClaim.objects.filter(seat__in=[seat_a, seat_b], order_item__order=order).count() == 2

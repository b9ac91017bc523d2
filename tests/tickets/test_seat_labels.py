"""Each seat on the buyer's map names itself fully (section, row, seat, category, price) and the
demo hall's VIP seats are called VIP."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from events.models import Event, Seat, SessionSeatPrice
from tests.events.seatmap_factories import seat, seated_session
from tests.tickets.factories import new_token
from tests.tickets.test_seating import _checkout, _pay
from tickets.models import Order

pytestmark = pytest.mark.django_db


def _circle(html: str, seat_id: int) -> str:
    return re.search(rf'<circle[^>]*data-seat="{seat_id}"[^>]*>.*?</circle>', html).group(0)


def test_every_seat_is_named_with_section_row_seat_category_and_price(client):
    session, seat_map = seated_session(rows=4, seats_per_row=6)
    html = client.get(session.event.get_absolute_url()).content.decode()
    vip = _circle(html, seat(seat_map, 1, 2).pk)
    name = "Партер, ряд 1, место 2 — VIP, 20\u00a0000\u00a0₸"
    assert f'aria-label="{name}"' in vip
    assert f"<title>{name}</title>" in vip  # the tooltip says the same
    stalls = _circle(html, seat(seat_map, 4, 6).pk)
    assert 'aria-label="Партер, ряд 4, место 6 — Партер, 8\u00a0000\u00a0₸"' in stalls


def test_a_category_not_on_sale_says_so_on_its_seats_in_the_pages_language(client):
    session, seat_map = seated_session(rows=3, seats_per_row=3)
    SessionSeatPrice.objects.filter(session=session, category__name="VIP").delete()
    html = client.get(session.event.get_absolute_url()).content.decode()
    assert "VIP, не продаётся" in _circle(html, seat(seat_map, 1, 1).pk)
    english = client.get("/en" + session.event.get_absolute_url()).content.decode()
    assert "VIP, not on sale" in _circle(english, seat(seat_map, 1, 1).pk)


def test_selection_has_its_own_pattern_not_a_category_colour(client):
    session, seat_map = seated_session(rows=2, seats_per_row=2)
    html = client.get(session.event.get_absolute_url()).content.decode()
    assert '<pattern id="seatmap-mine-pattern"' in html
    colours = set(seat_map.categories.values_list("color", flat=True))
    assert colours and "url(#seatmap-mine-pattern)" not in colours


def test_demo_vip_seats_are_labelled_vip_not_stalls():
    call_command("seed_demo")
    call_command("seed_demo_seating")
    event = Event.objects.get(slug="symphony-evening-almaty")
    seats = Seat.objects.filter(seat_map__sessions__session__event=event).distinct()
    vip = seats.filter(category__name="VIP")
    assert vip.count() == 90
    assert set(vip.values_list("section", flat=True)) == {"VIP"}
    assert vip.get(row="1", number="5").label == "VIP, ряд 1, место 5"
    assert not seats.filter(section="Партер", category__name="VIP").exists()
    assert set(seats.filter(section="Партер").values_list("category__name", flat=True)) == {
        "Партер"
    }


def test_checkout_lists_the_held_seats_with_category_and_price(client, policy):
    from django.urls import reverse

    session, seat_map = seated_session(rows=4, seats_per_row=6)
    chosen = seat(seat_map, 3, 4)
    response = client.post(
        reverse("tickets:seat_hold", args=[session.pk]),
        {"seat": chosen.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    html = client.get(reverse("tickets:checkout")).content.decode()
    seats = html.split('data-testid="cart-seats">')[1].split("</ul>")[0]
    assert "Партер, ряд 3, место 4 — Партер, 8\u00a0000\u00a0₸" in seats


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("ru", "Партер, ряд 4, место 6"),
        ("kk", "Партер, 4-қатар, 6-орын"),
        ("en", "Партер, row 4, seat 6"),
    ],
)
def test_row_and_seat_words_follow_the_pages_language(language, label):
    from events.seating.layouts import seat_label_shown

    with translation.override(language):
        assert seat_label_shown("Партер, ряд 4, место 6") == label
        assert seat_label_shown("Ложа Б, кресло 3") == "Ложа Б, кресло 3"  # the organizer's own


def test_the_seat_map_checkout_order_page_and_pdf_speak_english_on_en_pages(client):
    import pypdfium2

    from tickets.delivery.services import render_order_pdf
    from tickets.seating.services import seats_hold

    session, seat_map = seated_session(rows=4, seats_per_row=6)
    english = client.get("/en" + session.event.get_absolute_url()).content.decode()
    assert 'aria-label="Партер, row 4, seat 6 — Партер, 8' in _circle(
        english, seat(seat_map, 4, 6).pk
    )
    assert "ряд" not in english and "место" not in english

    hold = reverse("tickets:seat_hold", args=[session.pk])
    held = client.post(hold, {"seat": seat(seat_map, 3, 5).pk}, HTTP_ACCEPT="application/json")
    assert held.status_code == 200, held.content
    with translation.override("en"):
        checkout = client.get(reverse("tickets:checkout")).content.decode()
    assert "Партер, row 3, seat 5" in checkout and "ряд" not in checkout

    token = new_token()
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=[seat(seat_map, 2, 3).pk])
    order = _pay(_checkout(token))
    Order.objects.filter(pk=order.pk).update(language="en")
    order.refresh_from_db()
    with translation.override("en"):
        page = client.get(order.get_absolute_url()).content.decode()
    assert "Партер, row 2, seat 3" in page and "ряд" not in page
    document = pypdfium2.PdfDocument(render_order_pdf(order))
    text = "\n".join(p.get_textpage().get_text_range() for p in document)
    document.close()
    assert "Партер, row 2, seat 3" in text and "ряд" not in text


def test_seat_categories_have_kazakh_and_english_names_set_in_the_cabinet(client):
    from organizers.models import Membership
    from tests.factories import MembershipFactory

    session, seat_map = seated_session(rows=3, seats_per_row=3)
    organizer = session.event.organizer
    client.force_login(MembershipFactory(organizer=organizer, role=Membership.Role.MANAGER).user)
    url = reverse("events_cabinet:seat_map_detail", args=[organizer.slug, seat_map.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="category-names"' in page
    stalls, vip = (seat_map.categories.get(name_ru=n) for n in ("Партер", "VIP"))
    data = {
        "action": "names",
        f"names-category_{stalls.pk}_ru": "Партер",
        f"names-category_{stalls.pk}_kk": "Партер",
        f"names-category_{stalls.pk}_en": "Stalls",
        f"names-category_{vip.pk}_ru": "VIP",
    }
    assert client.post(url, data).status_code == 302
    stalls.refresh_from_db()
    assert (stalls.name_ru, stalls.name_kk, stalls.name_en) == ("Партер", "Партер", "Stalls")
    russian = client.get(session.event.get_absolute_url()).content.decode()
    assert "— Партер, 8" in _circle(russian, seat(seat_map, 3, 1).pk)
    english = client.get("/en" + session.event.get_absolute_url()).content.decode()
    assert "— Stalls, 8" in _circle(english, seat(seat_map, 3, 1).pk)
    assert "— VIP, 20" in _circle(english, seat(seat_map, 1, 1).pk)  # no English name: Russian

    same = {**data, f"names-category_{vip.pk}_en": "Stalls"}
    assert client.post(url, same).status_code == 400  # two categories, one English name
    assert client.post(url, {**data, f"names-category_{stalls.pk}_ru": ""}).status_code == 400

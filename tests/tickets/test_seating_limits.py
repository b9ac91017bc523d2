"""Holding seats is limited per client address and per cart, so a bot cannot hold a hall."""

import pytest
from django.test import Client
from django.urls import reverse

from eventum.ratelimit import attempt_allowed
from tests.events.seatmap_factories import seat, seated_session
from tickets.models import SeatClaim
from tickets.seating.views import SEAT_HOLDS

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def hall():
    return seated_session(rows=3, seats_per_row=5)


def _hold(client: Client, session, seat_id: int, **extra):
    return client.post(reverse("tickets:seat_hold", args=[session.pk]), {"seat": seat_id}, **extra)


def _release(client: Client, session, seat_id: int):
    url = reverse("tickets:seat_release", args=[session.pk])
    return client.post(url, {"seat": seat_id}, **JSON)


def test_one_cart_choosing_seats_too_often_gets_a_json_429_and_holds_nothing_more(hall):
    session, seat_map = hall
    a, b = seat(seat_map, 3, 1), seat(seat_map, 3, 2)
    client = Client(REMOTE_ADDR="10.1.0.1")
    assert _hold(client, session, a.pk, **JSON).status_code == 200  # the cart is made here
    assert _release(client, session, a.pk).status_code == 200
    for _n in range(SEAT_HOLDS.per_cart):
        assert _hold(client, session, a.pk, **JSON).status_code == 200
        assert _release(client, session, a.pk).status_code == 200  # releasing is never limited
    refused = _hold(client, session, b.pk, **JSON)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(SEAT_HOLDS.window_seconds)
    assert "no-cache" in refused["Cache-Control"]
    assert "Слишком много мест" in refused.json()["error"]
    assert not SeatClaim.objects.exists()
    other_buyer = Client(REMOTE_ADDR="10.1.0.1")  # same address, own cart: still served
    assert _hold(other_buyer, session, b.pk, **JSON).status_code == 200


def test_many_carts_from_one_address_are_stopped_at_the_address_limit(hall):
    session, seat_map = hall
    ip = "10.2.0.2"
    for _n in range(SEAT_HOLDS.per_ip - 1):  # earlier attempts of this address in the window
        assert attempt_allowed(SEAT_HOLDS, client_ip=ip, cart_token=None)
    last = _hold(Client(REMOTE_ADDR=ip), session, seat(seat_map, 1, 1).pk, **JSON)
    assert last.status_code == 200
    bot = Client(REMOTE_ADDR=ip)  # a fresh cart does not reset the address's count
    refused = _hold(bot, session, seat(seat_map, 1, 2).pk, **JSON)
    assert refused.status_code == 429
    assert list(SeatClaim.objects.values_list("seat__number", flat=True)) == ["1"]
    elsewhere = Client(REMOTE_ADDR="10.2.0.3")
    assert _hold(elsewhere, session, seat(seat_map, 1, 2).pk, **JSON).status_code == 200


def test_best_available_counts_too_and_its_form_gets_the_429_page_back_to_the_event(hall):
    session, _seat_map = hall
    client = Client(REMOTE_ADDR="10.3.0.3")
    best = reverse("tickets:seat_best", args=[session.pk])
    assert client.post(best, {"count": "2"}).status_code == 302
    for _n in range(SEAT_HOLDS.per_cart):  # counted on the cart the first request made
        assert client.post(best, {"count": "1"}, **JSON).status_code in (200, 400)
    held = SeatClaim.objects.count()
    refused = client.post(best, {"count": "2"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Слишком много мест" in page
    assert session.event.get_absolute_url() in page
    assert "Назад к схеме зала" in page
    assert SeatClaim.objects.count() == held


def test_the_refusal_is_translated_to_kazakh(hall):
    session, seat_map = hall
    for _n in range(SEAT_HOLDS.per_ip):
        attempt_allowed(SEAT_HOLDS, client_ip="10.4.0.4", cart_token=None)
    client = Client(REMOTE_ADDR="10.4.0.4")
    url = "/kk" + reverse("tickets:seat_hold", args=[session.pk])
    refused = client.post(url, {"seat": seat(seat_map, 2, 2).pk}, **JSON)
    assert refused.status_code == 429
    assert "Қысқа уақытта тым көп орын таңдалды" in refused.json()["error"]
    assert not SeatClaim.objects.exists()

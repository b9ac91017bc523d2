"""The seat map on the event page, its availability JSON and choosing seats over HTTP."""

import json

import pytest
from django.urls import reverse

from tests.events.seatmap_factories import seat, seated_session
from tests.tickets.factories import new_token
from tickets.models import SeatClaim
from tickets.seating.services import seats_hold

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def test_a_2000_seat_hall_renders_and_reports_availability_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    session, seat_map = seated_session(rows=40, seats_per_row=50)
    assert seat_map.seats.count() == 2000
    held = seat(seat_map, 1, 1)
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[held.pk])
    with django_assert_max_num_queries(20):
        page = client.get(session.event.get_absolute_url())
    html = page.content.decode()
    assert html.count('data-seat="') == 2000
    assert 'data-label="Партер, ряд 40, место 50"' in html
    url = reverse("tickets:seat_availability", args=[session.pk])
    with django_assert_max_num_queries(4):
        answer = client.get(url).json()
    assert answer == {
        "taken": [],
        "held": [held.pk],
        "blocked": [],
        "mine": [],
        "seconds_left": None,
    }


def test_choosing_a_seat_shows_it_as_mine_and_as_held_to_others(client, django_user_model):
    session, seat_map = seated_session()
    a = seat(seat_map, 3, 4)
    hold = reverse("tickets:seat_hold", args=[session.pk])
    answer = client.post(hold, {"seat": a.pk}, **JSON)
    assert answer.status_code == 200
    assert answer.json()["mine"] == [a.pk]
    assert 0 < answer.json()["seconds_left"] <= 15 * 60

    from django.test import Client

    other = Client()
    availability = other.get(reverse("tickets:seat_availability", args=[session.pk])).json()
    assert availability["held"] == [a.pk]
    refused = other.post(hold, {"seat": a.pk}, **JSON)
    assert refused.status_code == 409
    assert "Партер, ряд 3, место 4" in refused.json()["error"]

    checkout = client.get(reverse("tickets:checkout"))
    assert "Партер, ряд 3, место 4" in checkout.content.decode()

    released = client.post(
        reverse("tickets:seat_release", args=[session.pk]), {"seat": a.pk}, **JSON
    )
    assert released.json()["mine"] == []
    assert other.post(hold, {"seat": a.pk}, **JSON).status_code == 200


def test_best_available_holds_adjacent_seats_near_the_stage_and_middle(client):
    session, seat_map = seated_session(rows=5, seats_per_row=10)
    taken = [seat(seat_map, 1, n).pk for n in range(3, 9)]  # the middle of row 1 is gone
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=taken)
    answer = client.post(
        reverse("tickets:seat_best", args=[session.pk]), {"count": "3"}, **JSON
    ).json()
    labels = sorted(seat_map.seats.filter(pk__in=answer["mine"]).values_list("row", "number"))
    assert labels == [("2", "4"), ("2", "5"), ("2", "6")]


def test_best_available_without_javascript_goes_to_checkout(client):
    session, _map = seated_session()
    answer = client.post(reverse("tickets:seat_best", args=[session.pk]), {"count": "2"})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("tickets:checkout")
    assert SeatClaim.objects.count() == 2


@pytest.mark.parametrize("data", [{}, {"seat": "x"}, {"seat": "999999"}])
def test_bad_seat_input_is_a_clear_400(client, data):
    session, _map = seated_session()
    answer = client.post(reverse("tickets:seat_hold", args=[session.pk]), data, **JSON)
    assert answer.status_code == 400
    assert answer.json()["error"]


def test_bad_best_count_is_a_clear_400(client):
    session, _map = seated_session()
    answer = client.post(reverse("tickets:seat_best", args=[session.pk]), {"count": "50"}, **JSON)
    assert answer.status_code == 400
    assert json.loads(answer.content)["error"]


def test_the_widget_sends_buyers_of_a_seated_session_to_the_hall_map(client):
    from urllib.parse import urlencode

    session, _map = seated_session()
    organizer = session.event.organizer
    organizer.widget_origins = "https://tickets.partner.kz"
    organizer.save()
    query = urlencode(
        {"event": session.event.slug, "origin": "https://tickets.partner.kz", "lang": "ru"}
    )
    start = client.get(reverse("widget:start") + "?" + query)
    page = client.get(start["Location"]).content.decode()
    assert f"#session-block-{session.pk}" in page
    assert "Выбрать места на схеме зала" in page
    assert f'name="qty_{session.ticket_types.first().pk}"' not in page

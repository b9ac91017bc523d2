"""The portal behind a waiting room: event page, cart and checkout need a pass; the queue page
and its poll; passes that are forged, expired or from another browser are refused."""

import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from tests.factories import TicketTypeFactory
from tests.tickets.helpers import buyer_data, choose, idempotency_key
from tests.tickets.waitroom_helpers import (
    admission_order,
    admit_everyone,
    admitted_client,
    automatic_room,
    queued_client,
    room_on,
)
from tickets.models import Order, Reservation
from tickets.waitroom import room
from tickets.waitroom.gate import VISITOR_COOKIE, pass_cookie_name
from tickets.waitroom.passes import SALT, pass_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket_type():
    return TicketTypeFactory(quantity=20)


@pytest.fixture
def event(ticket_type):
    return ticket_type.session.event


def _queue(event) -> str:
    return reverse("tickets:waitroom_queue", args=[event.pk])


def test_without_a_room_the_sale_is_untouched(client, event, ticket_type):
    assert client.get(event.get_absolute_url()).status_code == 200
    response = choose(client, ticket_type.session, {ticket_type: 1})
    assert response.url == reverse("tickets:checkout")


def test_a_choice_and_a_checkout_ask_only_their_events_room(client, event, ticket_type):
    """Their views read the event anyway: its own room answers, without first asking whether
    any room exists (a round trip to the cache fewer on every order); a room of another event
    leaves this sale untouched, and this event's room still holds it."""
    other = TicketTypeFactory(quantity=5).session.event
    room_on(other)
    with mock.patch.object(room, "rooms_configured", wraps=room.rooms_configured) as asked:
        response = choose(client, ticket_type.session, {ticket_type: 1})
        assert response.url == reverse("tickets:checkout")
    asked.assert_not_called()
    key = idempotency_key(client)  # the page (a GET) asks as before
    with (
        mock.patch.object(room, "rooms_configured", wraps=room.rooms_configured) as asked,
        mock.patch.object(room, "config_read", wraps=room.config_read) as read,
        mock.patch.object(room, "latency_record", wraps=room.latency_record) as timed,
    ):
        response = client.post(reverse("tickets:checkout"), buyer_data(key))
        assert response.status_code == 302 and Order.objects.count() == 1
    asked.assert_not_called()
    # its room read once: an event without one needs no checkout duration noted
    read.assert_called_once_with(event.pk)
    timed.assert_not_called()
    room_on(event)
    response = choose(Client(), ticket_type.session, {ticket_type: 1})
    assert response.url.startswith(_queue(event))


def test_a_checkout_of_an_event_with_an_automatic_room_notes_its_duration(
    client, event, ticket_type
):
    """An automatic room that is off lets buyers through, and every checkout's duration is
    noted: it is what switches the room on when the checkout slows down."""
    automatic_room(event)
    choose(client, ticket_type.session, {ticket_type: 1})
    key = idempotency_key(client)
    with mock.patch.object(room, "latency_record", wraps=room.latency_record) as timed:
        assert client.post(reverse("tickets:checkout"), buyer_data(key)).status_code == 302
    assert Order.objects.count() == 1
    timed.assert_called_once()
    assert timed.call_args.args[0] == event.pk


def test_a_checkouts_duration_counts_from_the_proxys_stamp(client, event, ticket_type, settings):
    """Behind nginx the wait for a free web worker is the buyer's too: the pace hears it."""
    settings.REQUEST_START_HEADER = "X-Request-Start"
    automatic_room(event)
    choose(client, ticket_type.session, {ticket_type: 1})
    key = idempotency_key(client)
    stamp = f"t={time.time() - 0.9:.3f}"  # nginx got it 0.9 s ago
    with mock.patch.object(room, "latency_record", wraps=room.latency_record) as timed:
        response = client.post(
            reverse("tickets:checkout"), buyer_data(key), HTTP_X_REQUEST_START=stamp
        )
    assert response.status_code == 302
    assert timed.call_args.args[1] >= 900


def test_the_event_page_sends_visitors_without_a_pass_to_the_queue(client, event):
    room_on(event)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(_queue(event))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_queue_page_gives_one_place_per_browser_and_shows_it(event):
    room_on(event)
    admit_everyone(event.pk)  # nobody yet: the next ones wait
    first, first_id = queued_client(event)
    second, _ = queued_client(event)
    page = second.get(_queue(event))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-queue-position>2</strong>" in html
    assert 'http-equiv="refresh"' in html  # works without JavaScript
    first.get(_queue(event))
    first.get(_queue(event))
    assert admission_order(event.pk)[0] == first_id
    assert len(admission_order(event.pk)) == 2


def test_an_admitted_visitor_gets_a_pass_and_buys(event, ticket_type):
    room_on(event)
    client = admitted_client(event)
    assert client.cookies[pass_cookie_name(event.pk)].value
    page = client.get(event.get_absolute_url())
    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert choose(client, ticket_type.session, {ticket_type: 2}).url == reverse("tickets:checkout")
    key = idempotency_key(client)
    response = client.post(reverse("tickets:checkout"), buyer_data(key))
    assert response.status_code == 302
    assert Order.objects.filter(email="aigerim@example.kz").count() == 1


def test_the_cart_without_a_pass_is_sent_to_the_queue_and_holds_nothing(client, event, ticket_type):
    room_on(event)
    response = choose(client, ticket_type.session, {ticket_type: 1})
    assert response.status_code == 302
    assert response.url.startswith(_queue(event))
    assert not Reservation.objects.exists()


def test_the_checkout_without_a_pass_is_redirected_to_the_queue(client, event, ticket_type):
    assert choose(client, ticket_type.session, {ticket_type: 1}).status_code == 302
    room_on(event)
    # As if the room had come on before these tickets were held (their pass has expired since).
    room.store().hset(room.key(event.pk, "cfg"), mapping={"since": time.time() - 3600})
    response = client.get(reverse("tickets:checkout"))
    assert response.status_code == 302 and response.url.startswith(_queue(event))
    response = client.post(reverse("tickets:checkout"), buyer_data("k" * 20))
    assert response.status_code == 302 and response.url.startswith(_queue(event))
    assert not Order.objects.exists()


def test_a_pass_copied_into_another_browser_is_refused(event):
    room_on(event)
    holder = admitted_client(event)
    other, _ = queued_client(event)
    other.cookies[pass_cookie_name(event.pk)] = holder.cookies[pass_cookie_name(event.pk)].value
    room.store().hset(room.key(event.pk, "st"), mapping={"admitted": 1})  # only the holder
    assert other.get(event.get_absolute_url()).status_code == 302
    assert holder.get(event.get_absolute_url()).status_code == 200


def test_a_forged_pass_is_refused(client, event):
    room_on(event)
    client.cookies[VISITOR_COOKIE] = "x" * 24
    forged = signing.dumps({"e": event.pk, "v": "x" * 24}, salt=SALT, key="not-the-secret-key")
    client.cookies[pass_cookie_name(event.pk)] = forged
    assert client.get(event.get_absolute_url()).status_code == 302
    client.cookies[pass_cookie_name(event.pk)] = pass_issue(event_id=event.pk + 1, visitor="x" * 24)
    assert client.get(event.get_absolute_url()).status_code == 302  # another event's pass
    client.cookies[pass_cookie_name(event.pk)] = pass_issue(event_id=event.pk, visitor="x" * 24)
    assert client.get(event.get_absolute_url()).status_code == 200  # the genuine one


def test_an_expired_pass_is_refused(client, event, settings):
    room_on(event)
    client.cookies[VISITOR_COOKIE] = "y" * 24
    issued_at = time.time() - settings.WAITROOM_PASS_MINUTES * 60 - 5
    with mock.patch("django.core.signing.time.time", return_value=issued_at):
        old = pass_issue(event_id=event.pk, visitor="y" * 24)
    client.cookies[pass_cookie_name(event.pk)] = old
    assert client.get(event.get_absolute_url()).status_code == 302


def test_a_poll_asks_no_database_and_says_the_place(event, django_assert_num_queries):
    room_on(event)
    admit_everyone(event.pk)
    client, _ = queued_client(event)
    with django_assert_num_queries(0):
        response = client.get(reverse("tickets:waitroom_status", args=[event.pk]))
    body = response.json()
    assert body["state"] == "waiting" and body["position"] == 1
    assert body["poll_seconds"] > 0 and body["estimate_text"]
    # no cache keeps a poll: its place changes by the second, and an admitted one sets a pass
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"max-age=0", "no-cache", "no-store", "private"} <= directives


def test_the_poll_and_the_page_give_a_longer_interval_to_those_far_back(event, settings):
    settings.WAITROOM_POLL_SECONDS = 5
    settings.WAITROOM_POLL_MAX_SECONDS = 30
    room_on(event, cap=60)
    for n in range(200):
        room.join(event.pk, f"visitor-{n:012d}")
    client, _ = queued_client(event)  # 201st: over three minutes at 60 a minute
    status = client.get(reverse("tickets:waitroom_status", args=[event.pk])).json()
    assert status["state"] == "waiting" and status["poll_seconds"] == 30
    page = client.get(_queue(event)).content.decode()
    assert 'data-poll-seconds="30"' in page
    assert '<meta http-equiv="refresh" content="30">' in page


def test_the_poll_hands_the_pass_when_admitted(event):
    room_on(event)
    client, _ = queued_client(event)
    admit_everyone(event.pk)
    body = client.get(reverse("tickets:waitroom_status", args=[event.pk])).json()
    assert body["state"] == "admitted"
    assert body["next"] == event.get_absolute_url()
    assert client.get(event.get_absolute_url()).status_code == 200


def test_the_next_address_stays_on_the_site(event):
    room_on(event)
    client, _ = queued_client(event)
    admit_everyone(event.pk)
    response = client.get(_queue(event) + "?next=https://evil.example/")
    assert response.url == event.get_absolute_url()


def test_one_address_gets_only_so_many_places(event, settings):
    settings.WAITROOM_PLACES_PER_ADDRESS = 3
    room_on(event)
    statuses = [Client().get(_queue(event)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert len(admission_order(event.pk)) == 3
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.get(_queue(event)).status_code == 200


def test_sold_out_is_told_on_the_queue_page_with_the_waiting_list(event, ticket_type):
    room_on(event)
    client, _ = queued_client(event)
    room.sold_out_mark(event.pk, True)
    page = client.get(_queue(event))
    assert 'data-testid="queue-sold-out"' in page.content.decode()
    assert client.get(reverse("tickets:waitroom_status", args=[event.pk])).json()["state"] == (
        "sold_out"
    )
    # Nothing to queue for: the event page (with its waiting-list links) is open to all.
    assert client.get(event.get_absolute_url()).status_code == 200


def test_the_last_ticket_taken_tells_the_queue_at_once(event, ticket_type):
    ticket_type.quantity = 2
    ticket_type.save()
    room_on(event)
    buyer = admitted_client(event)
    waiting, _ = queued_client(event)
    choose(buyer, ticket_type.session, {ticket_type: 2})
    body = waiting.get(reverse("tickets:waitroom_status", args=[event.pk])).json()
    assert body["state"] == "sold_out"


def test_the_queue_page_speaks_kazakh_and_english(event):
    room_on(event)
    admit_everyone(event.pk)
    client, _ = queued_client(event)
    url = _queue(event)
    kk = client.get("/kk" + url).content.decode()
    en = client.get("/en" + url).content.decode()
    assert "Your place in the queue" in en
    assert "Your place in the queue" not in kk
    assert event.title_kk in kk and event.title_en in en


def test_a_buyer_at_the_checkout_when_the_room_comes_on_finishes(client, event, ticket_type):
    assert choose(client, ticket_type.session, {ticket_type: 1}).status_code == 302
    room_on(event)  # switched on while the cart is held: that buyer was already in
    key = idempotency_key(client)
    response = client.post(reverse("tickets:checkout"), buyer_data(key))
    assert response.status_code == 302
    assert Order.objects.count() == 1
    # Choosing more tickets now is a new step of the sale: the queue first.
    assert choose(client, ticket_type.session, {ticket_type: 1}).url.startswith(_queue(event))

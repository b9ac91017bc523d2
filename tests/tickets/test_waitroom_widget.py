"""The widget honours an event's waiting room without cookies: its own cart stands for the
visitor, the pass travels in its signed state, and another widget's pass is refused."""

import re
from dataclasses import replace

import pytest
from django.urls import reverse

from tests.tickets.test_widget import _event, _no_cookies, _start, _w, fresh
from tests.tickets.waitroom_helpers import admission_order, admit_everyone, room_on
from tickets.models import Order, Reservation
from tickets.widget.tokens import widget_state_load

pytestmark = pytest.mark.django_db


def test_the_widget_queues_then_lets_the_buyer_choose_and_pay():
    ticket_type = _event()
    event = ticket_type.session.event
    room_on(event)
    admit_everyone(event.pk)
    event_url = _start(ticket_type)["Location"]
    response = fresh().get(event_url)
    assert response.status_code == 302
    queue_url = response["Location"]
    assert reverse("widget:queue", args=[event.pk]) in queue_url
    page = fresh().get(queue_url)
    _no_cookies(page)
    html = page.content.decode()
    assert 'data-testid="queue-position">1<' in html
    assert 'http-equiv="refresh"' in html
    # Choosing tickets straight away is refused too: back to the queue, nothing held.
    refused = fresh().post(
        event_url,
        {"w": _w(event_url), "session": ticket_type.session_id, f"qty_{ticket_type.pk}": 1},
    )
    assert reverse("widget:queue", args=[event.pk]) in refused["Location"]
    assert not Reservation.objects.exists()

    admit_everyone(event.pk)
    admitted = fresh().get(queue_url)
    assert admitted.status_code == 302
    event_url = admitted["Location"]
    assert widget_state_load(_w(event_url)).admission
    assert fresh().get(event_url).status_code == 200
    token = _w(event_url)
    chosen = fresh().post(
        event_url, {"w": token, "session": ticket_type.session_id, f"qty_{ticket_type.pk}": 2}
    )
    checkout_url = chosen["Location"]
    page = fresh().get(checkout_url).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    done = fresh().post(
        checkout_url,
        {
            "w": _w(checkout_url),
            "surname": "Иванова",
            "name": "Айгерим",
            "phone": "8 701 123 45 67",
            "email": "aigerim@example.kz",
            "consent_processing": "on",
            "idempotency_key": key,
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Order.objects.filter(email="aigerim@example.kz").exists()


def test_a_pass_of_another_widget_is_refused():
    ticket_type = _event()
    event = ticket_type.session.event
    room_on(event)
    first_url = _start(ticket_type)["Location"]
    fresh().get(fresh().get(first_url)["Location"])  # takes its place
    admit_everyone(event.pk)
    first_queue = fresh().get(first_url)["Location"]
    admitted_state = widget_state_load(_w(fresh().get(first_queue)["Location"]))
    assert admitted_state.admission

    other_url = _start(ticket_type)["Location"]
    other = widget_state_load(_w(other_url))
    forged = replace(other, admission=admitted_state.admission)
    response = fresh().get(reverse("widget:event", args=[event.slug]), {"w": forged.dumps()})
    assert response.status_code == 302
    assert reverse("widget:queue", args=[event.pk]) in response["Location"]
    assert len(admission_order(event.pk)) == 1  # the refusal itself took no place

"""The checkout as a buyer walks it: sign in and come back, cancel the hold, only the fields
the organizer asks for."""

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    MembershipFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
)
from tests.tickets.helpers import buyer_data, choose, idempotency_key
from tickets.models import Order, Reservation

pytestmark = pytest.mark.django_db


@pytest.fixture
def stalls(policy):
    return TicketTypeFactory(
        session=SessionFactory(), name_ru="Партер", price=Decimal("12500"), quantity=5
    )


def _live_holds() -> int:
    return Reservation.objects.filter(released_at__isnull=True, order__isnull=True).count()


def test_sign_in_from_checkout_comes_back_to_it_with_the_cart_held(client, stalls):
    user = UserFactory()
    choose(client, stalls.session, {stalls: 2})
    checkout = reverse("tickets:checkout")
    html = client.get(checkout).content.decode()
    sign_in = f"{reverse('account_login')}?next={quote(checkout)}"
    assert f'href="{sign_in}"' in html
    assert f'href="{reverse("account_signup")}?next={quote(checkout)}"' in html

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": checkout}
    )
    assert response.status_code == 302
    assert response["Location"] == checkout
    page = client.get(checkout)
    assert page.status_code == 200
    assert "25\u00a0000\u00a0₸" in page.content.decode()  # both tickets still held
    assert f'value="{user.email}"' in page.content.decode()  # and the e-mail filled in
    assert _live_holds() == 1


def test_an_organizer_signing_in_from_checkout_also_comes_back_to_it(client, stalls):
    """Organizers otherwise land in their cabinet; a checkout in progress comes first."""
    member = MembershipFactory().user
    choose(client, stalls.session, {stalls: 1})
    checkout = reverse("tickets:checkout")
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD, "next": checkout}
    )
    assert response["Location"] == checkout
    assert client.get(checkout).status_code == 200


def test_other_pages_keep_the_plain_sign_in_link(client, stalls):
    html = client.get(stalls.session.event.get_absolute_url()).content.decode()
    assert f'href="{reverse("account_login")}"' in html


def test_cancelling_the_hold_says_so_on_the_event_page_and_frees_the_tickets(client, stalls):
    choose(client, stalls.session, {stalls: 2})
    response = client.post(reverse("tickets:cart_empty"), follow=True)
    event_url = stalls.session.event.get_absolute_url()
    assert response.redirect_chain[-1][0] == event_url
    html = response.content.decode()
    assert "Оформление отменено: билеты, которые вы держали, снова в продаже." in html
    assert _live_holds() == 0
    stalls.refresh_from_db()
    assert stalls.quantity_taken == 0


def test_cancelling_an_already_empty_cart_does_not_claim_a_cancellation(client, stalls):
    response = client.post(reverse("tickets:cart_empty"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("events:home")
    assert "снова в продаже" not in response.content.decode()


def test_hold_timer_starts_calm_and_announces_only_through_a_polite_region(client, stalls):
    choose(client, stalls.session, {stalls: 1})
    html = client.get(reverse("tickets:checkout")).content.decode()
    timer = html.split('data-testid="hold-timer"')[1].split("</div>")[0]
    assert 'data-urgent-seconds="120"' in timer
    assert "is-urgent" not in timer
    assert 'aria-live="polite"' in timer
    assert 'aria-live="assertive"' not in timer and 'role="alert"' not in timer
    assert "Осталось меньше двух минут" in timer  # the urgent wording is words, not a colour


def test_concert_checkout_asks_no_postal_address(client, stalls):
    choose(client, stalls.session, {stalls: 1})
    key = idempotency_key(client)
    html = client.get(reverse("tickets:checkout")).content.decode()
    assert 'name="postal_address"' not in html
    # an address posted anyway is not kept: the organizer did not ask for it
    client.post(reverse("tickets:checkout"), buyer_data(key, postal_address="Алматы, Абая 1"))
    assert Order.objects.get().postal_address == ""


def test_postal_address_asked_when_the_organizer_wants_it(client, stalls):
    event = stalls.session.event
    event.asks_postal_address = True
    event.save(update_fields=["asks_postal_address"])
    choose(client, stalls.session, {stalls: 1})
    key = idempotency_key(client)
    html = client.get(reverse("tickets:checkout")).content.decode()
    assert 'name="postal_address"' in html
    client.post(reverse("tickets:checkout"), buyer_data(key, postal_address="Алматы, Абая 1"))
    assert Order.objects.get().postal_address == "Алматы, Абая 1"


def test_cancelling_in_the_widget_returns_to_the_event_and_says_so():
    from urllib.parse import parse_qs, urlsplit

    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=10)
    event = ticket_type.session.event
    event.organizer.widget_origins = "https://tickets.partner.kz"
    event.organizer.save()
    start = Client().get(
        reverse("widget:start"),
        {"event": event.slug, "origin": "https://tickets.partner.kz", "lang": "ru"},
    )
    url = start["Location"]
    w = parse_qs(urlsplit(url).query)["w"][0]
    Client().post(url, {"w": w, "session": ticket_type.session_id, f"qty_{ticket_type.pk}": 2})
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_available == 8
    response = Client().post(reverse("widget:cart_action"), {"w": w, "action": "empty"})
    assert urlsplit(response["Location"]).path == reverse("widget:event", args=[event.slug])
    page = Client().get(response["Location"]).content.decode()
    assert 'data-testid="hold-cancelled"' in page
    assert "Оформление отменено" in page
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_available == 10
    # a cart that held nothing goes back to the list, with no claim of a cancellation
    again = Client().post(reverse("widget:cart_action"), {"w": w, "action": "empty"})
    assert urlsplit(again["Location"]).path == reverse("widget:events")

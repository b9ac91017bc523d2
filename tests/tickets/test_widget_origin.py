"""The widget on a site the organizer has not registered: the script learns it before opening
a window, the site owner reads which origin to register, buyers get the portal's page."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TicketTypeFactory

pytestmark = pytest.mark.django_db

HOST = "https://tickets.partner.kz"


def _event():
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=10)
    organizer = ticket_type.session.event.organizer
    organizer.widget_origins = f"{HOST}\nhttps://*.partner.kz"
    organizer.save()
    return ticket_type.session.event


def _check(**query):
    return Client().get(reverse("widget:check"), {"lang": "ru", **query})


def test_a_registered_origin_may_open_the_window():
    event = _event()
    for origin in (HOST, "https://shop.partner.kz"):
        response = _check(event=event.slug, origin=origin)
        assert response.json() == {"allowed": True}
        assert response["Access-Control-Allow-Origin"] == "*"  # any page's script may ask
    assert not response.cookies


def test_an_unregistered_origin_learns_exactly_what_to_register_and_buyers_get_the_portal():
    event = _event()
    response = _check(event=event.slug, origin="https://Club.Example.kz:443")
    answer = response.json()
    assert response.status_code == 200 and answer["allowed"] is False
    assert answer["origin"] == "https://club.example.kz"  # the form the cabinet accepts
    assert answer["portal_url"] == f"http://testserver{event.get_absolute_url()}"
    embed = f"http://testserver{reverse('tickets:cabinet_embed', args=[event.organizer.slug])}"
    message = answer["message"]
    assert "https://club.example.kz" in message and embed in message
    assert event.organizer.public_name in message
    assert "не зарегистрирован" in message


def test_the_console_message_follows_the_widgets_language():
    event = _event()
    answer = _check(event=event.slug, origin="https://club.example.kz", lang="kk").json()
    assert answer["portal_url"] == f"http://testserver/kk{event.get_absolute_url()}"
    assert "https://club.example.kz" in answer["message"]
    assert "eventum widget:" in answer["message"]
    assert (
        answer["message"]
        != _check(event=event.slug, origin="https://club.example.kz").json()["message"]
    )


def test_organizer_widget_points_buyers_at_the_organizers_page():
    event = _event()
    answer = _check(organizer=event.organizer.slug, origin="https://club.example.kz").json()
    assert answer["allowed"] is False
    assert answer["portal_url"] == "http://testserver" + reverse(
        "events:organizer_detail", kwargs={"slug": event.organizer.slug}
    )


def test_an_unknown_event_is_named_as_the_problem():
    answer = _check(event="no-such-event", origin=HOST).json()
    assert answer["allowed"] is False
    assert "data-eventum-event" in answer["message"]
    assert answer["portal_url"] == "http://testserver/"


def test_a_malformed_origin_is_refused_not_a_500():
    event = _event()
    response = _check(event=event.slug, origin="javascript:alert(1)")
    assert response.status_code == 200
    assert response.json()["allowed"] is False


def test_the_cabinets_embed_page_explains_what_an_unregistered_site_shows(client):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(role="owner")
    client.force_login(membership.user)
    url = reverse("tickets:cabinet_embed", args=[membership.organizer.slug])
    html = client.get(url).content.decode()
    hint = html.split('data-testid="origin-hint">')[1].split("</p>")[0]
    assert "консоль браузера" in hint and "новой вкладке" in hint

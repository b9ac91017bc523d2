"""The organizer's pages moved from /orders/cabinet/<organizer>/… to /cabinet/<organizer>/…;
old bookmarks and links land on the same page, and the new page still checks who asks."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, TicketTypeFactory
from tests.tickets.flows import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return place_order({TicketTypeFactory(): 1})


@pytest.fixture
def organizer(order):
    return order.event.organizer


@pytest.fixture
def owner_client(client, organizer):
    client.force_login(MembershipFactory(organizer=organizer, role="owner").user)
    return client


def test_new_addresses_live_under_the_cabinet(organizer, order):
    slug = organizer.slug
    assert reverse("tickets:cabinet_orders", args=[slug]) == f"/cabinet/{slug}/orders/"
    assert reverse("tickets:cabinet_order", args=[slug, order.code]) == (
        f"/cabinet/{slug}/orders/{order.code}/"
    )
    assert reverse("tickets:cabinet_dashboard", args=[slug]) == f"/cabinet/{slug}/dashboard/"
    assert reverse("tickets:checkin_events", args=[slug]) == f"/cabinet/{slug}/checkin/"
    # the buyer's and the scanner apps' addresses stay where they were
    assert reverse("tickets:order_detail", args=[order.code]) == f"/orders/{order.code}/"
    assert reverse("tickets:api_checkin") == "/orders/api/checkin/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/orders/cabinet/{slug}/", "/cabinet/{slug}/orders/"),
        ("/orders/cabinet/{slug}/?q=abc&page=2", "/cabinet/{slug}/orders/?q=abc&page=2"),
        ("/orders/cabinet/{slug}/{code}/", "/cabinet/{slug}/orders/{code}/"),
        ("/orders/cabinet/{slug}/exports/", "/cabinet/{slug}/exports/"),
        ("/orders/cabinet/{slug}/dashboard/", "/cabinet/{slug}/dashboard/"),
        ("/orders/cabinet/{slug}/scanners/", "/cabinet/{slug}/scanners/"),
        ("/kk/orders/cabinet/{slug}/checkin/", "/kk/cabinet/{slug}/checkin/"),
    ],
)
def test_old_addresses_redirect_permanently_to_the_same_page(
    owner_client, organizer, order, old, new
):
    fill = {"slug": organizer.slug, "code": order.code}
    response = owner_client.get(old.format(**fill))
    assert response.status_code == 301
    assert response["Location"] == new.format(**fill)
    assert owner_client.get(response["Location"]).status_code == 200


def test_a_form_posted_to_an_old_address_is_sent_on_with_its_method(owner_client, organizer):
    response = owner_client.post(f"/orders/cabinet/{organizer.slug}/scanners/", {"name": "Door"})
    assert response.status_code == 308
    assert response["Location"] == f"/cabinet/{organizer.slug}/scanners/"


def test_an_unknown_old_address_is_not_found(owner_client, organizer):
    response = owner_client.get(f"/orders/cabinet/{organizer.slug}/no/such/page/")
    assert response.status_code == 404


def test_the_redirect_opens_nothing_to_outsiders(client, organizer, order):
    client.force_login(MembershipFactory(role="owner").user)  # another organizer's owner
    response = client.get(f"/orders/cabinet/{organizer.slug}/{order.code}/", follow=True)
    assert response.redirect_chain[0] == (f"/cabinet/{organizer.slug}/orders/{order.code}/", 301)
    assert response.status_code == 404

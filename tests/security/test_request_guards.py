"""NUL characters in the address or the query string get a clear 400, never a server error
(PostgreSQL cannot compare text containing NUL, so a lookup would crash)."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/orders/AB%00CD/",
        "/orders/AB%00CD/tickets.delivery.pdf",
        "/privacy/versions/a%00/",
        "/privacy/unsubscribe/a%00/",
        "/cabinet/invitations/a%00/",
        "/events/a%00b/",
        "/events/?q=a%00b",
        "/events/?a%00=1",
        "/kk/orders/AB%00CD/",
        "/orders/api/checkin/stats/?event=%00",
    ],
)
def test_nul_in_the_address_is_a_400_with_a_reason(url):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_ordinary_addresses_pass(client):
    assert client.get("/events/?q=домбыра").status_code == 200


def test_nul_in_a_posted_form_is_a_400_and_nothing_is_written(client):
    from tests.factories import MembershipFactory
    from tickets.models import ScannerDevice

    membership = MembershipFactory(role="owner")
    client.force_login(membership.user)
    url = f"/cabinet/{membership.organizer.slug}/scanners/"
    form = "application/x-www-form-urlencoded"
    response = client.post(url, "label=%D0%92%00A", content_type=form)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not ScannerDevice.objects.exists()
    assert client.post(url, "label=A", content_type=form).status_code == 200
    assert ScannerDevice.objects.count() == 1


def test_a_multipart_post_keeps_its_raw_body_for_the_view(client):
    """Payment callbacks verify a signature over the raw body: the guard must not eat it."""
    response = client.post("/orders/callbacks/cloudpayments/pay/", {"InvoiceId": "x"})
    assert response.status_code == 403  # no valid signature, but the body was readable


def test_json_bodies_are_left_to_their_views(client):
    response = client.post(
        "/orders/api/checkin/", data='{"code": "\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 401  # the API answers (no token), not the guard

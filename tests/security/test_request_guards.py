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
        "/orders/AB%00CD/tickets.pdf",
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

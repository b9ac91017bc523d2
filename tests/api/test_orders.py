"""The buyer's orders through the API: only the account's own, tickets with QR payloads once
paid, the PDF, the status, and bounded queries on the list."""

from decimal import Decimal

import pytest

from tests.factories import TicketTypeFactory, UserFactory
from tests.tickets.flows import place_order
from tickets.payments.services import payment_complete, payment_start
from tickets.qr import qr_payload
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def _paid(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


@pytest.fixture
def buyer_client(client, policy):
    client.buyer = UserFactory(email="buyer@example.kz")
    client.force_login(client.buyer)
    return client


def test_orders_list_is_the_accounts_own_newest_first(buyer_client, django_assert_max_num_queries):
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=50)
    mine = [
        place_order({ticket_type: 1}, email="buyer@example.kz", user=buyer_client.buyer)
        for _ in range(3)
    ]
    place_order({ticket_type: 1}, email="other@example.kz", user=UserFactory())
    with django_assert_max_num_queries(8):
        body = buyer_client.get("/api/v1/me/orders", {"limit": 2}).json()
    rest = buyer_client.get("/api/v1/me/orders", {"cursor": body["next_cursor"]}).json()
    codes = [o["code"] for o in body["items"] + rest["items"]]
    assert codes == [o.code for o in reversed(mine)]
    assert body["items"][0]["total"] == "5000.00"


def test_paid_order_carries_qr_payloads_and_pdfs(buyer_client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.MEDIA_ROOT = tmp_path
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=50)
    order = place_order({ticket_type: 2}, email="buyer@example.kz", user=buyer_client.buyer)
    pending = buyer_client.get(f"/api/v1/orders/{order.code}").json()
    assert pending["status"] == "pending"
    assert [t["qr_payload"] for t in pending["tickets"]] == [None, None]
    assert buyer_client.get(f"/api/v1/orders/{order.code}/tickets.pdf").status_code == 409

    _paid(order)
    body = buyer_client.get(f"/api/v1/orders/{order.code.lower()}").json()
    assert body["status"] == "paid"
    items = list(order.items.order_by("id"))
    assert [t["qr_payload"] for t in body["tickets"]] == [qr_payload(i) for i in items]
    assert body["buyer"]["email"] == "buyer@example.kz"
    status = buyer_client.get(f"/api/v1/orders/{order.code}/status").json()
    assert status["status"] == "paid" and status["paid_at"]
    pdf = buyer_client.get(f"/api/v1/orders/{order.code}/tickets.pdf")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    one = buyer_client.get(body["tickets"][0]["pdf_url"] + "?layout=phone")
    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    assert one["Cache-Control"] == "private, no-store"


def test_someone_elses_order_is_404_and_no_sign_in_is_401(client, policy):
    order = place_order(email="owner@example.kz", user=UserFactory())
    client.force_login(UserFactory())
    for url in (f"/api/v1/orders/{order.code}", f"/api/v1/orders/{order.code}/status"):
        response = client.get(url)
        assert (response.status_code, response.json()["error"]) == (404, "order_not_found")
    client.logout()
    response = client.get(f"/api/v1/orders/{order.code}")
    assert (response.status_code, response.json()["error"]) == (401, "not_authenticated")


def test_a_browser_session_needs_the_csrf_token_for_writes(policy):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.put(
        "/api/v1/me/privacy/marketing", {"consent": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get("/api/v1/me/privacy").status_code == 200

"""Halyk ePay against a local fake of its documented protocol: the token per invoice, the
payment form page, postLink verified by its secret and the status API, refunds."""

import json
import logging
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import TicketTypeFactory
from tests.tickets.fake_providers import FakeHalyk
from tests.tickets.flows import place_order
from tickets.errors import RefundError
from tickets.models import Order, Payment, PaymentNotification
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def halyk(settings):
    fake = FakeHalyk()
    with fake.running() as base:
        settings.TICKETS_PAYMENT_PROVIDERS = ["halyk"]
        settings.HALYK_EPAY_CLIENT_ID = FakeHalyk.CLIENT_ID
        settings.HALYK_EPAY_CLIENT_SECRET = FakeHalyk.CLIENT_SECRET
        settings.HALYK_EPAY_TERMINAL_ID = FakeHalyk.TERMINAL
        settings.HALYK_EPAY_OAUTH_URL = f"{base}/oauth2/token"
        settings.HALYK_EPAY_API_URL = base
        settings.HALYK_EPAY_WIDGET_URL = f"{base}/payform/payment-api.js"
        yield fake


@pytest.fixture
def order():
    return place_order({TicketTypeFactory(price=Decimal("5000"), quantity=10): 2})


def _start(client, order):
    return client.post(
        reverse("tickets:order_pay", args=[order.code]), {"provider": "halyk", "s": order.secret}
    )


def _post_link(client, body: dict, kind: str = "post"):
    return client.post(
        reverse("tickets:payment_notification", args=["halyk", kind]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_start_takes_a_token_for_the_invoice_and_opens_the_payment_form(client, halyk, order):
    response = _start(client, order)
    payment = Payment.objects.get()
    assert response["Location"] == reverse("tickets:halyk_payment_page", args=[payment.public_id])
    token_request = halyk.requests[0]["form"]
    assert token_request["grant_type"] == "client_credentials"
    assert token_request["invoiceID"] == payment.provider_reference
    assert payment.provider_reference.isdigit() and len(payment.provider_reference) == 12
    assert (token_request["amount"], token_request["currency"]) == ("10000", "KZT")
    assert token_request["postLink"].endswith("/orders/callbacks/halyk/post/")
    assert token_request["failurePostLink"].endswith("/orders/callbacks/halyk/failure/")
    # We keep only a digest of the per-payment secret the postLink must echo.
    assert token_request["secret_hash"] not in json.dumps(payment.provider_data)

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "/payform/payment-api.js" in html
    params = json.loads(html.split('id="halyk-payment" type="application/json">')[1].split("<")[0])
    assert params["invoiceId"] == payment.provider_reference
    assert params["terminal"] == FakeHalyk.TERMINAL
    assert params["auth"]["access_token"] in halyk.tokens
    assert FakeHalyk.CLIENT_SECRET not in html
    assert token_request["secret_hash"] not in html
    csp = page["Content-Security-Policy"]
    assert "script-src 'self' http://127.0.0.1:" in csp
    assert page["Cache-Control"] == "no-store"


def test_a_post_link_with_its_secret_and_a_charged_status_pays_the_order(client, halyk, order):
    _start(client, order)
    payment = Payment.objects.get()
    response = _post_link(client, halyk.buyer_pays(payment.provider_reference))
    assert response.status_code == 200
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert payment.provider_transaction_id == f"tx-{payment.provider_reference}"
    kinds = list(PaymentNotification.objects.order_by("id").values_list("kind", "outcome"))
    assert kinds == [("status", "status: paid"), ("post", "paid")]
    stored = " ".join(PaymentNotification.objects.values_list("body", flat=True))
    assert "AIGERIM" not in stored and "440563" not in stored and "9a5bb8c1" not in stored


def test_a_forged_post_link_is_refused_and_asks_nothing(client, halyk, order):
    _start(client, order)
    payment = Payment.objects.get()
    body = halyk.buyer_pays(payment.provider_reference)
    asked = len(halyk.requests)
    response = _post_link(client, {**body, "secret_hash": "guessed"})
    assert response.status_code == 403
    assert len(halyk.requests) == asked
    assert Order.objects.get().status == Order.Status.PENDING
    note = PaymentNotification.objects.get()
    assert (note.signature_valid, note.order) == (False, None)


def test_a_replayed_post_link_changes_nothing(client, halyk, order):
    _start(client, order)
    payment = Payment.objects.get()
    body = halyk.buyer_pays(payment.provider_reference)
    _post_link(client, body)
    again = _post_link(client, body)
    assert again.status_code == 200
    assert Payment.objects.filter(status=Payment.Status.SUCCEEDED).count() == 1
    assert (
        PaymentNotification.objects.filter(kind="post")
        .order_by("id")
        .last()
        .outcome.startswith("duplicate")
    )


def test_a_post_link_saying_ok_is_not_trusted_over_the_status(client, halyk, order):
    _start(client, order)
    payment = Payment.objects.get()
    body = halyk.buyer_pays(payment.provider_reference, status="REJECT")
    _post_link(client, body)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert Order.objects.get().status == Order.Status.PENDING


def test_the_failure_post_link_records_a_failed_attempt_and_a_retry_gets_a_new_invoice(
    client, halyk, order
):
    _start(client, order)
    first = Payment.objects.get()
    body = halyk.buyer_pays(first.provider_reference, status="FAILED")
    _post_link(client, {**body, "code": "error", "reason": "declined"}, kind="failure")
    first.refresh_from_db()
    assert first.status == Payment.Status.FAILED
    _start(client, order)
    second = Payment.objects.exclude(pk=first.pk).get()
    assert second.provider_reference != first.provider_reference


def test_a_wrong_amount_is_flagged_not_paid(client, halyk, order):
    _start(client, order)
    payment = Payment.objects.get()
    _post_link(client, halyk.buyer_pays(payment.provider_reference, amount="100"))
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert order.needs_review and "100" in order.review_reason
    assert PaymentNotification.objects.get(kind="post").needs_review


def test_refunds_in_full_and_in_part(client, halyk):
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=10)
    order = place_order({ticket_type: 2})
    _start(client, order)
    payment = Payment.objects.get()
    _post_link(client, halyk.buyer_pays(payment.provider_reference))
    first_item = order.items.first()
    order_refund(order_id=order.pk, actor=Actor(label="organizer"), item_ids=[first_item.pk])
    order_refund(order_id=order.pk, actor=Actor(label="organizer"))
    transaction = f"tx-{payment.provider_reference}"
    assert [(r["transaction"], r.get("amount")) for r in halyk.refunds] == [
        (transaction, "5000"),
        (transaction, "5000"),
    ]
    assert all(r["externalID"] for r in halyk.refunds)
    assert Order.objects.get().status == Order.Status.REFUNDED


def test_a_refund_below_ten_tenge_is_refused(client, halyk):
    from tickets.payments.halyk import HalykEpayProvider

    order = place_order({TicketTypeFactory(price=Decimal("5000"), quantity=10): 1})
    _start(client, order)
    payment = Payment.objects.get()
    _post_link(client, halyk.buyer_pays(payment.provider_reference))
    payment.refresh_from_db()
    with pytest.raises(RefundError):
        HalykEpayProvider().refund(payment=payment, amount=Decimal("5"))
    assert halyk.refunds == []


def test_credentials_never_reach_the_logs(client, halyk, order, caplog):
    caplog.set_level(logging.DEBUG)
    _start(client, order)
    payment = Payment.objects.get()
    _post_link(client, halyk.buyer_pays(payment.provider_reference))
    client.get(reverse("tickets:halyk_payment_page", args=[payment.public_id]))
    assert FakeHalyk.CLIENT_SECRET not in caplog.text
    assert FakeHalyk.CLIENT_SECRET not in " ".join(
        PaymentNotification.objects.values_list("body", flat=True)
    )


def test_halyk_is_not_offered_without_its_credentials(settings, order, client):
    settings.TICKETS_PAYMENT_PROVIDERS = ["test", "halyk"]
    settings.HALYK_EPAY_CLIENT_SECRET = ""
    page = client.get(order.get_absolute_url())
    assert b'value="halyk"' not in page.content
    assert _start(client, order).status_code == 302
    assert not Payment.objects.exists()

"""Freedom Pay against a local fake of its documented protocol: the signed payment page
request, signed check/result notifications (forged and replayed ones), status, refunds."""

import logging
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test.client import encode_multipart
from django.urls import reverse

from tests.factories import TicketTypeFactory
from tests.tickets.fake_providers import FakeFreedomPay, freedompay_sign
from tests.tickets.flows import place_order
from tickets.errors import RefundError
from tickets.models import Order, Payment, PaymentNotification
from tickets.payments.base import ProviderState
from tickets.payments.freedompay import FreedomPayProvider, xml_fields
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db

BOUNDARY = "BoUnDaRyFreedomPay"


@pytest.fixture
def freedompay(settings):
    fake = FakeFreedomPay()
    with fake.running() as base:
        settings.TICKETS_PAYMENT_PROVIDERS = ["freedompay"]
        settings.FREEDOMPAY_MERCHANT_ID = FakeFreedomPay.MERCHANT_ID
        settings.FREEDOMPAY_SECRET_KEY = FakeFreedomPay.SECRET
        settings.FREEDOMPAY_API_URL = base
        settings.FREEDOMPAY_TESTING_MODE = True
        yield fake


@pytest.fixture
def order():
    return place_order({TicketTypeFactory(price=Decimal("5000"), quantity=10): 2})


def _start(client, order) -> Payment:
    response = client.post(
        reverse("tickets:order_pay", args=[order.code]),
        {"provider": "freedompay", "s": order.secret},
    )
    payment = Payment.objects.filter(order=order).order_by("-id").first()
    assert response["Location"] == payment.redirect_url
    return payment


def _notify(client, kind: str, fields: dict, *, multipart: bool = True):
    url = reverse("tickets:payment_notification", args=["freedompay", kind])
    if multipart:
        return client.post(
            url,
            data=encode_multipart(BOUNDARY, fields),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
    return client.post(
        url, data=urlencode(fields), content_type="application/x-www-form-urlencoded"
    )


def _answer(response) -> dict:
    fields = xml_fields(response.content)
    assert fields["pg_sig"] == freedompay_sign(
        response.request["PATH_INFO"].rstrip("/").rsplit("/", 1)[1], fields, FakeFreedomPay.SECRET
    )
    return fields


def test_start_sends_a_signed_request_and_the_buyer_to_the_payment_page(client, freedompay, order):
    payment = _start(client, order)
    request = freedompay.requests[0]
    assert request["path"] == "/init_payment.php"
    form = request["form"]
    assert form["pg_sig"] == freedompay_sign("init_payment.php", form, FakeFreedomPay.SECRET)
    assert (form["pg_amount"], form["pg_currency"], form["pg_testing_mode"]) == (
        "10000",
        "KZT",
        "1",
    )
    assert form["pg_order_id"] == payment.provider_reference == f"{order.code}-{payment.pk}"
    assert form["pg_result_url"].endswith("/orders/callbacks/freedompay/result/")
    assert form["pg_check_url"].endswith("/orders/callbacks/freedompay/check/")
    assert 300 <= int(form["pg_lifetime"]) <= 30 * 60
    # Nothing personal leaves for the provider; the secret key itself is never sent.
    assert not {"pg_user_phone", "pg_user_contact_email"} & set(form)
    assert FakeFreedomPay.SECRET not in str(form)
    assert payment.redirect_url.startswith("https://customer.freedompay.kz/pay.html?customer=")
    assert payment.provider_data["payment_id"] == "1000000001"


def test_check_accepts_a_payable_order_and_rejects_a_wrong_amount(client, freedompay, order):
    payment = _start(client, order)
    fields = freedompay.result_notification("1000000001", script="check")
    fields.pop("pg_result")
    fields["pg_sig"] = freedompay_sign("check", fields, FakeFreedomPay.SECRET)
    assert _answer(_notify(client, "check", fields))["pg_status"] == "ok"
    wrong = {**fields, "pg_amount": "100"}
    wrong["pg_sig"] = freedompay_sign("check", wrong, FakeFreedomPay.SECRET)
    assert _answer(_notify(client, "check", wrong))["pg_status"] == "rejected"
    assert Order.objects.get(pk=payment.order_id).needs_review


def test_a_signed_result_pays_the_order_once_even_when_sent_again(client, freedompay, order):
    payment = _start(client, order)
    fields = freedompay.result_notification("1000000001", script="result")
    first = _answer(_notify(client, "result", fields))
    again = _answer(_notify(client, "result", fields, multipart=False))
    assert first["pg_status"] == again["pg_status"] == "ok"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.provider_transaction_id == "1000000001"
    assert Order.objects.get().status == Order.Status.PAID
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["ok: paid", "ok: duplicate: already applied"]
    stored = " ".join(PaymentNotification.objects.values_list("body", flat=True))
    assert "4405-63XX" not in stored and "AIGERIM" not in stored and "01/27" not in stored


def test_a_forged_or_altered_result_is_refused(client, freedompay, order):
    _start(client, order)
    fields = freedompay.result_notification("1000000001", script="result")
    forged = {**fields, "pg_sig": freedompay_sign("result", fields, "guessed-secret")}
    assert _notify(client, "result", forged).status_code == 403
    altered = {**fields, "pg_amount": "1"}  # signature of the original fields
    assert _notify(client, "result", altered).status_code == 403
    assert Order.objects.get().status == Order.Status.PENDING
    assert list(PaymentNotification.objects.values_list("signature_valid", flat=True)) == [
        False,
        False,
    ]


def test_a_failed_result_lets_the_buyer_try_again(client, freedompay, order):
    first = _start(client, order)
    fields = freedompay.result_notification("1000000001", result="0", script="result")
    assert _answer(_notify(client, "result", fields))["pg_status"] == "ok"
    first.refresh_from_db()
    assert first.status == Payment.Status.FAILED
    second = _start(client, order)
    assert second.pk != first.pk and second.provider_reference != first.provider_reference


def test_a_result_with_a_wrong_amount_is_flagged_and_rejected(client, freedompay, order):
    _start(client, order)
    fields = freedompay.result_notification("1000000001", amount="100", script="result")
    assert _answer(_notify(client, "result", fields))["pg_status"] == "rejected"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and order.needs_review


def test_status_asks_by_payment_id(client, freedompay, order):
    payment = _start(client, order)
    provider = FreedomPayProvider()
    assert provider.status(payment=payment).state == ProviderState.PENDING
    freedompay.payments["1000000001"]["status"] = "success"
    status = provider.status(payment=payment)
    assert (status.state, status.transaction_id, status.amount) == (
        ProviderState.PAID,
        "1000000001",
        Decimal("10000.00"),
    )
    asked = freedompay.requests[-1]
    assert asked["path"] == "/g2g/status_v2"
    assert asked["form"]["pg_sig"] == freedompay_sign(
        "status_v2", asked["form"], FakeFreedomPay.SECRET
    )


def test_refunds_in_part_and_in_full(client, freedompay, order):
    _start(client, order)
    _notify(client, "result", freedompay.result_notification("1000000001", script="result"))
    order_refund(
        order_id=order.pk, actor=Actor(label="organizer"), item_ids=[order.items.first().pk]
    )
    order_refund(order_id=order.pk, actor=Actor(label="organizer"))
    refunds = freedompay.refunds
    assert [(r["pg_payment_id"], r["pg_amount"]) for r in refunds] == [
        ("1000000001", "5000"),
        ("1000000001", "5000"),
    ]
    assert all(r["pg_sig"] == freedompay_sign("refund", r, FakeFreedomPay.SECRET) for r in refunds)
    assert Order.objects.get().status == Order.Status.REFUNDED
    assert list(order.refunds.order_by("id").values_list("provider_refund_id", flat=True)) == [
        "r1",
        "r2",
    ]


def test_a_refused_refund_is_an_error_for_the_organizer(client, freedompay, order):
    payment = _start(client, order)
    Payment.objects.filter(pk=payment.pk).update(provider_transaction_id="1000000001")
    payment.refresh_from_db()
    with pytest.raises(RefundError, match="cannot be refunded"):
        FreedomPayProvider().refund(payment=payment, amount=Decimal("10000"))


def test_the_secret_key_never_reaches_the_logs(client, freedompay, order, caplog):
    caplog.set_level(logging.DEBUG)
    _start(client, order)
    _notify(client, "result", freedompay.result_notification("1000000001", script="result"))
    assert FakeFreedomPay.SECRET not in caplog.text

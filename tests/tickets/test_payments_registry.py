"""The provider registry: the core finds providers by name only; CloudPayments and the test
provider sit on the same interface as any provider an app registers."""

import base64
import hashlib
import hmac
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from tests.tickets.flows import place_order
from tickets.errors import PaymentError
from tickets.models import Order, Payment, PaymentNotification
from tickets.payments import cloudpayments, providers
from tickets.payments.base import (
    BasePaymentProvider,
    NotificationResult,
    PaymentStart,
    ProviderState,
    ProviderStatus,
)
from tickets.payments.cloudpayments import CloudPaymentsClient, CloudPaymentsProvider
from tickets.payments.services import payment_start

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "payloads"


class ShopCashProvider(BasePaymentProvider):
    """A provider some other app could bring: nothing in the core names it."""

    name = "shopcash"
    label = "ShopCash"
    logo = "tickets/payments/test.svg"
    recipient = "ShopCash LLP"
    processing_country = "KZ"
    personal_fields = ("email",)
    notification_kinds = ("done",)

    def start(self, *, payment, return_url):
        return PaymentStart(
            redirect_url=f"https://pay.shopcash.example/{payment.pk}",
            reference=f"SC{payment.pk}",
            data={"attempt": 1},
        )

    def notification_handle(self, *, kind, body, content_type, headers, ip, url):
        return NotificationResult(202, f"{kind}: {body.decode()}", body="accepted")

    def status(self, *, payment):
        return ProviderStatus(state=ProviderState.PENDING)

    def refund(self, *, payment, amount):
        return "r-1"


@pytest.fixture
def shopcash(monkeypatch, settings):
    monkeypatch.setitem(providers._REGISTRY, "shopcash", ShopCashProvider)
    settings.TICKETS_PAYMENT_PROVIDERS = ["test", "shopcash"]


def test_a_provider_class_cannot_take_a_registered_name(shopcash):
    class Impostor(ShopCashProvider):
        pass

    with pytest.raises(ValueError, match="registered twice"):
        providers.provider_register(Impostor)
    assert providers.provider_register(ShopCashProvider) is ShopCashProvider


def test_the_built_in_providers_are_registered_by_the_tickets_app():
    assert {"test", "cloudpayments"} <= set(providers.providers_registered())
    assert isinstance(providers.provider_for("cloudpayments"), CloudPaymentsProvider)


def test_a_registered_provider_is_offered_and_started_by_the_core(client, shopcash):
    order = place_order()
    page = client.get(order.get_absolute_url())
    assert b'value="shopcash"' in page.content
    response = client.post(
        reverse("tickets:order_pay", args=[order.code]), {"provider": "shopcash", "s": order.secret}
    )
    payment = Payment.objects.get()
    assert response["Location"] == f"https://pay.shopcash.example/{payment.pk}"
    assert (payment.provider, payment.provider_reference) == ("shopcash", f"SC{payment.pk}")
    assert payment.provider_data == {"attempt": 1, "widget": {}}


def test_a_registered_providers_callback_reaches_it(client, shopcash):
    url = reverse("tickets:payment_notification", args=["shopcash", "done"])
    response = client.post(url, data=b"hello", content_type="text/plain")
    assert (response.status_code, response.content) == (202, b"accepted")
    unknown_kind = reverse("tickets:payment_notification", args=["shopcash", "pay"])
    assert client.post(unknown_kind, data=b"x", content_type="text/plain").status_code == 404
    nobody = reverse("tickets:payment_notification", args=["nobody", "pay"])
    assert client.post(nobody, data=b"x", content_type="text/plain").status_code == 404


def test_a_provider_refuses_a_currency_it_does_not_process(shopcash):
    order = place_order()
    Order.objects.filter(pk=order.pk).update(currency="USD")
    with pytest.raises(PaymentError):
        payment_start(order_id=order.pk, provider_name="shopcash")
    assert not Payment.objects.exists()


def test_cloudpayments_defaults_to_the_kazakhstan_api_host(settings):
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk"
    settings.CLOUDPAYMENTS_API_SECRET = "secret"
    assert settings.CLOUDPAYMENTS_API_URL == "https://api.cloudpayments.kz"
    assert cloudpayments.default_client().base_url == "https://api.cloudpayments.kz"


def test_cloudpayments_is_not_offered_without_its_credentials(settings):
    settings.TICKETS_PAYMENT_PROVIDERS = ["test", "cloudpayments"]
    settings.CLOUDPAYMENTS_PUBLIC_ID = ""
    assert [p.name for p in providers.providers_enabled()] == ["test"]
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk"
    settings.CLOUDPAYMENTS_API_SECRET = "secret"
    assert [p.name for p in providers.providers_enabled()] == ["test", "cloudpayments"]


class FindApi:
    def __init__(self, answer: Mapping) -> None:
        self.answer = answer
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, url, payload, auth):
        self.calls.append((url, payload))
        return self.answer


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        ({"Success": True, "Model": {"Status": "Completed", "TransactionId": 9}}, "paid"),
        ({"Success": True, "Model": {"Status": "Declined", "TransactionId": 9}}, "failed"),
        ({"Success": False, "Message": "Not found"}, "pending"),
    ],
)
def test_cloudpayments_status_asks_for_the_invoice(answer, state):
    order = place_order()
    payment = Payment.objects.create(order=order, provider="cloudpayments", amount=order.total)
    api = FindApi({**answer, "Model": {**answer.get("Model", {}), "Amount": 10000}})
    if not answer["Success"]:
        api.answer = answer
    client = CloudPaymentsClient(
        public_id="pk", api_secret="s", base_url="https://api.cloudpayments.kz", transport=api
    )
    status = CloudPaymentsProvider(client).status(payment=payment)
    assert api.calls == [("https://api.cloudpayments.kz/payments/find", {"InvoiceId": order.code})]
    assert status.state == state
    if state != "pending":
        assert (status.transaction_id, status.amount) == ("9", Decimal("10000.00"))


def test_the_notification_trail_keeps_no_card_data(client, settings):
    settings.CLOUDPAYMENTS_API_SECRET = "secret-1"
    body = (PAYLOADS / "pay.txt").read_bytes()
    sign = base64.b64encode(hmac.new(b"secret-1", body, hashlib.sha256).digest()).decode()
    client.post(
        reverse("tickets:cloudpayments_notification", args=["pay"]),
        data=body,
        content_type="application/x-www-form-urlencoded",
        HTTP_CONTENT_HMAC=sign,
    )
    stored = PaymentNotification.objects.get().body
    assert "2871145001" in stored  # the transaction stays, for disputes
    for card_data in ("440043", "12/28", "tk_5b8c0b8b", "AIGERIM"):
        assert card_data not in stored

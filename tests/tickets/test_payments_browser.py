"""A buyer on a phone pays through each Kazakh provider's (fake) payment page and comes back
to a paid order: the chooser, the provider's page, its notification, the order page. The
organizer's payment methods page on a phone in three languages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory, TicketTypeFactory
from tests.tickets.fake_providers import FakeCloudPayments, FakeFreedomPay, FakeHalyk
from tests.tickets.flows import place_order
from tickets.models import Order, Payment, PaymentMethodSetting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order():
    return place_order({TicketTypeFactory(price=Decimal("7500"), quantity=10): 2})


def test_a_buyer_pays_with_freedom_pay_on_a_phone(
    live_server, phone_page, settings, order, artifacts_dir
):
    fake = FakeFreedomPay()
    with fake.running() as base:
        fake.page_base = base
        fake.callback_base = live_server.url
        settings.TICKETS_PAYMENT_PROVIDERS = ["test", "freedompay"]
        settings.FREEDOMPAY_MERCHANT_ID = FakeFreedomPay.MERCHANT_ID
        settings.FREEDOMPAY_SECRET_KEY = FakeFreedomPay.SECRET
        settings.FREEDOMPAY_API_URL = base
        page = phone_page
        page.goto(live_server.url + order.get_absolute_url())
        page.get_by_label("Банковская карта (Freedom Pay)").check()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"sideways scroll: {width}px"
        page.screenshot(path=str(artifacts_dir / "payments-1-chooser.png"), full_page=True)
        page.get_by_role("button", name="Оплатить").click()
        page.wait_for_url(f"{base}/pay.html**")
        assert "15000 KZT" in page.content()
        page.get_by_role("button", name="Pay").click()
        page.wait_for_url(f"{live_server.url}/orders/**")
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        assert Payment.objects.get(order=order).provider == "freedompay"
        assert page.get_by_test_id("order-status").inner_text() == order.get_status_display()


def test_a_buyer_pays_with_halyk_epay_on_a_phone(
    live_server, phone_page, settings, order, artifacts_dir
):
    fake = FakeHalyk()
    with fake.running() as base:
        fake.callback_base = live_server.url
        settings.TICKETS_PAYMENT_PROVIDERS = ["halyk", "test"]
        settings.HALYK_EPAY_CLIENT_ID = FakeHalyk.CLIENT_ID
        settings.HALYK_EPAY_CLIENT_SECRET = FakeHalyk.CLIENT_SECRET
        settings.HALYK_EPAY_TERMINAL_ID = FakeHalyk.TERMINAL
        settings.HALYK_EPAY_OAUTH_URL = f"{base}/oauth2/token"
        settings.HALYK_EPAY_API_URL = base
        settings.HALYK_EPAY_WIDGET_URL = f"{base}/payform/payment-api.js"
        page = phone_page
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(live_server.url + order.get_absolute_url())
        assert page.get_by_label("Банковская карта (Halyk ePay)").is_checked()  # first in order
        page.get_by_role("button", name="Оплатить").click()
        # Our page loads Halyk's script, which opens its payment form.
        page.wait_for_url(f"{base}/payform/**")
        assert "15000 KZT" in page.content()
        page.get_by_role("button", name="Pay").click()
        page.wait_for_url(f"{live_server.url}/orders/**")
        page.screenshot(path=str(artifacts_dir / "payments-2-halyk-paid.png"), full_page=True)
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        assert not [e for e in errors if "Content Security Policy" in e]


def test_a_buyer_pays_with_cloudpayments_on_a_phone(
    live_server, phone_page, settings, order, artifacts_dir
):
    fake = FakeCloudPayments()
    with fake.running() as base:
        fake.callback_base = live_server.url
        fake.pay_notification_path = reverse("tickets:cloudpayments_notification", args=["pay"])
        settings.TICKETS_PAYMENT_PROVIDERS = ["cloudpayments", "test"]
        settings.CLOUDPAYMENTS_PUBLIC_ID = FakeCloudPayments.PUBLIC_ID
        settings.CLOUDPAYMENTS_API_SECRET = FakeCloudPayments.API_SECRET
        settings.CLOUDPAYMENTS_API_URL = base
        page = phone_page
        page.goto(live_server.url + order.get_absolute_url())
        page.get_by_role("button", name="Оплатить").click()
        # The payment link CloudPayments answered: its page takes the card.
        page.wait_for_url(f"{base}/pay/**")
        assert "15000.00 KZT" in page.content()
        page.get_by_role("button", name="Pay").click()
        page.wait_for_url(f"{live_server.url}/orders/**")
        page.screenshot(path=str(artifacts_dir / "payments-3-cloudpayments-paid.png"))
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        assert Payment.objects.get(order=order).provider == "cloudpayments"
        create = next(r for r in fake.requests if r["path"] == "/orders/create")
        assert create["headers"]["Authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("prefix", "offer", "save"),
    [
        ("", "Предлагать покупателям", "Сохранить"),
        ("/kk", "Сатып алушыларға ұсыну", None),
        ("/en", "Offer to buyers", "Save"),
    ],
)
def test_the_owner_orders_payment_methods_on_a_phone(
    live_server, phone_page, settings, order, artifacts_dir, prefix, offer, save
):
    settings.TICKETS_PAYMENT_PROVIDERS = ["test", "freedompay"]
    settings.FREEDOMPAY_MERCHANT_ID = "1"
    settings.FREEDOMPAY_SECRET_KEY = "k"
    organizer = order.event.organizer
    MembershipFactory(organizer=organizer, role="owner", user__email="owner@example.kz")
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "owner@example.kz")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{prefix}/cabinet/{organizer.slug}/payment-methods/")
    assert page.get_by_text(offer).count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"sideways scroll: {width}px"
    page.screenshot(
        path=str(artifacts_dir / f"payments-cabinet{prefix.replace('/', '-')}.png"), full_page=True
    )
    if save is None:
        return
    page.locator("#id_enabled_test").uncheck()
    page.fill("#id_position_freedompay", "1")
    page.fill("#id_position_test", "2")
    page.get_by_role("button", name=save).click()
    page.wait_for_load_state()
    assert list(
        PaymentMethodSetting.objects.filter(organizer=organizer)
        .order_by("position")
        .values_list("provider", "enabled")
    ) == [("freedompay", True), ("test", False)]

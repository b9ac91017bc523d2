"""Each organizer switches payment methods on or off and orders them in the cabinet; buyers
see exactly those, in that order, and the consent text names the ones that receive data."""

import json

import pytest
from django.urls import reverse

from organizers.models import Membership
from tests.factories import MembershipFactory, TicketTypeFactory
from tests.tickets.fake_providers import FakeHalyk
from tests.tickets.flows import place_order
from tickets.checkout_consent import checkout_recipients
from tickets.models import Order, Payment, PaymentMethodSetting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _portal_methods(settings):
    settings.TICKETS_PAYMENT_PROVIDERS = ["test", "cloudpayments", "halyk"]
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk"
    settings.CLOUDPAYMENTS_API_SECRET = "cp-secret"
    settings.HALYK_EPAY_CLIENT_ID = "client"
    settings.HALYK_EPAY_CLIENT_SECRET = "halyk-secret"
    settings.HALYK_EPAY_TERMINAL_ID = "terminal"


@pytest.fixture
def order():
    return place_order({TicketTypeFactory(): 1})


@pytest.fixture
def owner(client, order):
    organizer = order.event.organizer
    member = MembershipFactory(organizer=organizer, role=Membership.Role.OWNER)
    client.force_login(member.user)
    return member


def _url(order) -> str:
    return reverse("tickets:cabinet_payment_methods", args=[order.event.organizer.slug])


def _offered(client, order) -> list[str]:
    page = client.get(order.get_absolute_url()).content.decode()
    names = ("test", "cloudpayments", "halyk")
    found = {n: page.find(f'value="{n}"') for n in names if f'value="{n}"' in page}
    return sorted(found, key=found.get)


def test_every_method_is_offered_in_the_portal_order_until_the_organizer_decides(client, order):
    assert _offered(client, order) == ["test", "cloudpayments", "halyk"]


def test_the_owner_switches_methods_off_and_orders_them(client, order, owner):
    page = client.get(_url(order))
    assert page.status_code == 200
    assert "Halyk" in page.content.decode()
    response = client.post(
        _url(order),
        {
            "enabled_halyk": "on",
            "position_halyk": "1",
            "enabled_test": "on",
            "position_test": "2",
            "position_cloudpayments": "3",
        },
    )
    assert response.status_code == 302
    rows = PaymentMethodSetting.objects.filter(organizer=order.event.organizer)
    assert {(r.provider, r.enabled, r.position) for r in rows} == {
        ("halyk", True, 1),
        ("test", True, 2),
        ("cloudpayments", False, 3),
    }
    client.logout()
    assert _offered(client, order) == ["halyk", "test"]
    refused = client.post(
        reverse("tickets:order_pay", args=[order.code]),
        {"provider": "cloudpayments", "s": order.secret},
    )
    assert refused.status_code == 302 and not Payment.objects.exists()


def test_switching_every_method_off_is_refused(client, order, owner):
    response = client.post(
        _url(order), {"position_halyk": "1", "position_test": "2", "position_cloudpayments": "3"}
    )
    assert response.status_code == 400
    assert "at least one" in response.content.decode() or "хотя бы" in response.content.decode()
    assert not PaymentMethodSetting.objects.exists()


def test_a_bad_position_is_a_form_error(client, order, owner):
    response = client.post(
        _url(order),
        {
            "enabled_test": "on",
            "position_test": "zero",
            "position_halyk": "1",
            "position_cloudpayments": "2",
        },
    )
    assert response.status_code == 400
    assert not PaymentMethodSetting.objects.exists()


def test_only_the_owner_may_change_payment_methods(client, order):
    manager = MembershipFactory(organizer=order.event.organizer, role=Membership.Role.MANAGER)
    client.force_login(manager.user)
    assert client.get(_url(order)).status_code == 403
    assert client.post(_url(order), {"position_test": "1"}).status_code == 403
    client.force_login(MembershipFactory().user)
    assert client.get(_url(order)).status_code == 404
    assert not PaymentMethodSetting.objects.exists()


def test_one_organizers_choice_leaves_the_others_alone(client, order):
    other = place_order({TicketTypeFactory(): 1})
    assert other.event.organizer != order.event.organizer
    PaymentMethodSetting.objects.create(
        organizer=order.event.organizer, provider="test", enabled=False
    )
    assert "test" not in _offered(client, order)
    assert "test" in _offered(client, other)


def test_the_consent_names_the_methods_that_receive_data_with_their_country(order):
    event = order.event
    names = [(r.name, r.country) for r in checkout_recipients(event)]
    assert ("CloudPayments Kazakhstan", "KZ") in names
    PaymentMethodSetting.objects.create(
        organizer=event.organizer, provider="cloudpayments", enabled=False
    )
    assert "CloudPayments Kazakhstan" not in [r.name for r in checkout_recipients(event)]


def test_the_chooser_shows_each_methods_logo(client, order):
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'src="/static/tickets/payments/halyk.svg"' in page
    assert page.count('type="radio" name="provider"') == 3


def test_a_declined_payment_is_retried_with_another_method_without_new_details(
    client, order, settings
):
    fake = FakeHalyk()
    with fake.running() as base:
        settings.HALYK_EPAY_CLIENT_ID = FakeHalyk.CLIENT_ID
        settings.HALYK_EPAY_CLIENT_SECRET = FakeHalyk.CLIENT_SECRET
        settings.HALYK_EPAY_TERMINAL_ID = FakeHalyk.TERMINAL
        settings.HALYK_EPAY_OAUTH_URL = f"{base}/oauth2/token"
        settings.HALYK_EPAY_API_URL = base
        pay = reverse("tickets:order_pay", args=[order.code])
        declined = client.post(pay, {"provider": "test", "s": order.secret})
        client.post(declined["Location"], {"decision": "decline"})
        # The order page offers every method again; the buyer's details stay on the order.
        assert _offered(client, order) == ["test", "cloudpayments", "halyk"]
        client.post(pay, {"provider": "halyk", "s": order.secret})
        halyk = Payment.objects.get(provider="halyk")
        client.post(
            reverse("tickets:payment_notification", args=["halyk", "post"]),
            data=json.dumps(fake.buyer_pays(halyk.provider_reference)),
            content_type="application/json",
        )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert list(order.payments.order_by("id").values_list("provider", "status")) == [
        ("test", "failed"),
        ("halyk", "succeeded"),
    ]


def test_the_order_page_lets_pay_go_only_to_the_offered_methods_pages(client, order, settings):
    settings.TICKETS_PAYMENT_PROVIDERS = ["test", "freedompay"]
    settings.FREEDOMPAY_MERCHANT_ID = "1"
    settings.FREEDOMPAY_SECRET_KEY = "k"
    policy = client.get(order.get_absolute_url())["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert "https://*.freedompay.kz" in form_action
    assert "https://api.freedompay.kz" in form_action
    PaymentMethodSetting.objects.create(
        organizer=order.event.organizer, provider="freedompay", enabled=False
    )
    policy = client.get(order.get_absolute_url())["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert "https://api.freedompay.kz" not in form_action


def _names(organizer) -> list[str]:
    from tickets.payments.selectors import providers_of_organizer

    return [p.name for p in providers_of_organizer(organizer)]


def test_buyers_methods_are_read_once_and_then_come_from_the_cache(
    order, django_assert_num_queries
):
    organizer = order.event.organizer
    with django_assert_num_queries(1):
        assert _names(organizer) == ["test", "cloudpayments", "halyk"]
    with django_assert_num_queries(0):
        assert _names(organizer) == ["test", "cloudpayments", "halyk"]
        checkout_recipients(order.event)


def test_saving_the_methods_in_the_cabinet_is_seen_by_the_next_checkout(client, order, owner):
    from tickets.payments.services import payment_methods_save

    organizer = order.event.organizer
    assert _names(organizer) == ["test", "cloudpayments", "halyk"]  # now cached
    payment_methods_save(
        organizer=organizer,
        choices={"test": (True, 3), "cloudpayments": (False, 1), "halyk": (True, 2)},
    )
    assert _names(organizer) == ["halyk", "test"]
    names = [r.name for r in checkout_recipients(order.event)]
    assert "CloudPayments Kazakhstan" not in names


def test_a_method_switched_by_staff_or_removed_is_seen_at_once(order):
    organizer = order.event.organizer
    assert _names(organizer) == ["test", "cloudpayments", "halyk"]
    row = PaymentMethodSetting.objects.create(organizer=organizer, provider="halyk", enabled=False)
    assert _names(organizer) == ["test", "cloudpayments"]
    row.enabled = True
    row.position = 0
    row.save()  # as the admin's list does
    assert _names(organizer) == ["halyk", "test", "cloudpayments"]
    row.delete()
    assert _names(organizer) == ["test", "cloudpayments", "halyk"]


def test_the_methods_are_read_from_the_database_while_the_cache_is_down(order, monkeypatch):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    monkeypatch.setattr(cache, "delete", down)
    organizer = order.event.organizer
    PaymentMethodSetting.objects.create(organizer=organizer, provider="test", enabled=False)
    assert _names(organizer) == ["cloudpayments", "halyk"]

"""Organizers' webhooks: signed deliveries from the real moments (paid, refunded, cancelled,
checked in, sold out) to a local receiver, retries with back-off, switching off a failing
endpoint, masking of blocked buyers, the SSRF guard and the cabinet pages."""

import hashlib
import hmac
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organizers.webhooks.addresses import (
    UnsafeWebhookAddress,
    webhook_address_resolve,
    webhook_url_check,
)
from organizers.webhooks.forms import WebhookEndpointForm
from organizers.webhooks.models import WebhookDelivery, WebhookEndpoint
from organizers.webhooks.services import (
    backoff,
    webhook_endpoint_create,
    webhook_endpoint_enable,
    webhooks_retry_due,
)
from organizers.webhooks.signing import webhook_signature
from privacy.models import Disclosure
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganizerFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
)
from tests.organizers.webhook_receiver import webhook_receiver
from tests.privacy.conftest import make_blocked
from tests.tickets.flows import place_order
from tickets.checkin.services import checkin_scan
from tickets.payments.services import payment_complete, payment_start
from tickets.qr import qr_payload
from tickets.services.order_lifecycle import order_cancel
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db

ALL_TYPES = [
    "order.paid",
    "order.refunded",
    "order.cancelled",
    "ticket.checked_in",
    "event.sold_out",
]


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True


@pytest.fixture
def shop(db):
    owner = MembershipFactory(role="owner", user=UserFactory(email="owner@example.kz"))
    event = EventFactory(organizer=owner.organizer)
    ticket_type = TicketTypeFactory(
        session=SessionFactory(event=event), price=Decimal("5000"), quantity=20
    )
    return {"organizer": owner.organizer, "owner": owner.user, "ticket_type": ticket_type}


def _endpoint(organizer, url, types=None):
    return webhook_endpoint_create(
        organizer=organizer, url=url, event_types=types or ALL_TYPES, created_by=None
    )


def _pay(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


def _bodies(receiver, event_type):
    return [
        json.loads(r.body) for r in receiver.requests if json.loads(r.body)["type"] == event_type
    ]


def test_order_paid_is_signed_and_retried_after_a_500(shop, django_capture_on_commit_callbacks):
    with webhook_receiver(500) as receiver:
        new = _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            order = _pay(place_order({shop["ticket_type"]: 2}, email="buyer@example.kz"))
        assert len(receiver.requests) == 1
        delivery = WebhookDelivery.objects.get(endpoint=new.endpoint)
        assert delivery.status == "pending"
        assert delivery.attempts == 1 and delivery.last_response_status == 500
        wait = delivery.next_attempt_at - timezone.now()
        assert timedelta(seconds=50) < wait <= backoff(1)
        # Not due yet: nothing is sent.
        with django_capture_on_commit_callbacks(execute=True):
            assert webhooks_retry_due() == 0
        with django_capture_on_commit_callbacks(execute=True):
            assert webhooks_retry_due(now=timezone.now() + timedelta(minutes=2)) == 1
        assert len(receiver.requests) == 2
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 2
    assert [a.response_status for a in delivery.attempt_log.order_by("id")] == [500, 200]
    for request in receiver.requests:
        assert request.path == "/hooks/eventum"
        assert request.headers["X-Eventum-Event"] == "order.paid"
        # What a receiver checks: HMAC-SHA256 of "<timestamp>.<body>" under its secret.
        stamp = request.headers["X-Eventum-Timestamp"]
        signed = stamp.encode() + b"." + request.body
        expected = "sha256=" + hmac.new(new.secret.encode(), signed, hashlib.sha256).hexdigest()
        assert request.headers["X-Eventum-Signature"] == expected
        assert expected == webhook_signature(
            secret=new.secret, timestamp=int(stamp), body=request.body
        )
    payload = json.loads(receiver.requests[-1].body)
    assert payload["id"] == str(delivery.event_id)
    assert payload["data"]["order"]["code"] == order.code
    assert payload["data"]["order"]["status"] == "paid"
    assert payload["data"]["order"]["buyer"]["email"] == "buyer@example.kz"
    assert len(payload["data"]["order"]["tickets"]) == 2
    assert Disclosure.objects.filter(actor_label="webhook").exists()


def test_a_duplicate_task_message_sends_once(shop, django_capture_on_commit_callbacks):
    from organizers.webhooks.services import webhook_delivery_attempt

    with webhook_receiver() as receiver:
        _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
        delivery = WebhookDelivery.objects.get()
        assert webhook_delivery_attempt(delivery_id=delivery.pk, attempts_seen=0) is None
        assert len(receiver.requests) == 1


def test_refund_cancel_and_check_in_reach_the_webhook(shop, django_capture_on_commit_callbacks):
    with webhook_receiver() as receiver:
        _endpoint(shop["organizer"], receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            paid = _pay(place_order({shop["ticket_type"]: 2}))
            pending = place_order({shop["ticket_type"]: 1})
        first, second = paid.items.order_by("pk")
        with django_capture_on_commit_callbacks(execute=True):
            order_refund(order_id=paid.pk, actor=Actor(label="organizer"), item_ids=[first.pk])
            order_cancel(order_id=pending.pk, actor=Actor(label="organizer"))
            answer = checkin_scan(
                organizer=shop["organizer"],
                event=paid.event,
                code=qr_payload(second),
            )
        assert answer.ok
    refunded = _bodies(receiver, "order.refunded")
    assert len(refunded) == 1
    assert refunded[0]["data"]["refund"] == {"amount": "5000.00", "ticket_ids": [first.pk]}
    assert refunded[0]["data"]["order"]["refunded_amount"] == "5000.00"
    cancelled = _bodies(receiver, "order.cancelled")
    assert [b["data"]["order"]["code"] for b in cancelled] == [pending.code]
    checked = _bodies(receiver, "ticket.checked_in")
    assert checked[0]["data"]["ticket"]["id"] == second.pk
    assert checked[0]["data"]["ticket"]["checked_in_at"]
    assert checked[0]["data"]["order"]["code"] == paid.code


def test_selling_the_last_ticket_of_a_session_tells_it_is_sold_out(
    shop, django_capture_on_commit_callbacks
):
    session = SessionFactory(event=EventFactory(organizer=shop["organizer"]))
    small = TicketTypeFactory(session=session, quantity=2)
    with webhook_receiver() as receiver:
        _endpoint(shop["organizer"], receiver.url, ["event.sold_out"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({small: 1}))
            last = place_order({small: 1})  # the last ticket taken, not yet sold
        assert receiver.requests == []
        with django_capture_on_commit_callbacks(execute=True):
            _pay(last)
    (body,) = _bodies(receiver, "event.sold_out")
    assert body["data"]["session"]["id"] == session.pk
    assert body["data"]["event"]["id"] == session.event_id
    assert body["data"]["event_sold_out"] is True


def test_blocked_buyers_come_masked(shop, django_capture_on_commit_callbacks):
    order = place_order({shop["ticket_type"]: 1}, email="hidden@example.kz")
    make_blocked(staff=UserFactory(is_staff=True), email="hidden@example.kz")
    with webhook_receiver() as receiver:
        _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(order)
    raw = receiver.requests[0].body.decode()
    buyer = json.loads(raw)["data"]["order"]["buyer"]
    assert buyer["masked"] is True
    assert "hidden@example.kz" not in raw and "+77011234567" not in raw
    assert "Иванов" not in raw


def test_a_buyer_blocked_before_the_retry_is_masked_in_it_and_in_the_log(
    shop, django_capture_on_commit_callbacks
):
    with webhook_receiver(500) as receiver:
        _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}, email="later@example.kz"))
        assert b"later@example.kz" in receiver.requests[0].body
        make_blocked(staff=UserFactory(is_staff=True), email="later@example.kz")
        with django_capture_on_commit_callbacks(execute=True):
            webhooks_retry_due(now=timezone.now() + timedelta(minutes=5))
    assert b"later@example.kz" not in receiver.requests[1].body
    assert json.loads(receiver.requests[1].body)["data"]["order"]["buyer"]["masked"] is True
    assert "later@example.kz" not in json.dumps(WebhookDelivery.objects.get().payload)


def test_an_endpoint_failing_again_and_again_is_switched_off_and_the_owner_told(
    shop, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    with webhook_receiver(500, 502, 503, 500) as receiver:
        new = _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
            _pay(place_order({shop["ticket_type"]: 1}))
        later = timezone.now() + timedelta(minutes=3)
        with django_capture_on_commit_callbacks(execute=True):
            webhooks_retry_due(now=later)
        endpoint = WebhookEndpoint.objects.get(pk=new.endpoint.pk)
        assert not endpoint.is_active and endpoint.failures_in_row == 3
        assert len(receiver.requests) == 3
        # Switched off: due retries are not sent.
        with django_capture_on_commit_callbacks(execute=True):
            assert webhooks_retry_due(now=later + timedelta(hours=1)) == 0
        assert len(receiver.requests) == 3
        (message,) = [m for m in mail.outbox if "owner@example.kz" in m.to]
        assert endpoint.url[:40] in message.subject
        # Switched on again: what waits is sent.
        webhook_endpoint_enable(endpoint_id=endpoint.pk, organizer=shop["organizer"])
        with django_capture_on_commit_callbacks(execute=True):
            assert webhooks_retry_due(now=timezone.now() + timedelta(seconds=1)) == 2
        assert len(receiver.requests) == 5
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 1


def test_a_delivery_fails_for_good_after_its_last_attempt(
    shop, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with webhook_receiver(500, 500) as receiver:
        _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
        with django_capture_on_commit_callbacks(execute=True):
            webhooks_retry_due(now=timezone.now() + timedelta(minutes=2))
        with django_capture_on_commit_callbacks(execute=True):
            assert webhooks_retry_due(now=timezone.now() + timedelta(days=1)) == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 2
    assert delivery.next_attempt_at is None


def test_finished_deliveries_are_forgotten_after_thirty_days(
    shop, django_capture_on_commit_callbacks
):
    from organizers.webhooks.services import webhook_deliveries_prune

    with webhook_receiver(200, 500) as receiver:
        _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
            _pay(place_order({shop["ticket_type"]: 1}))
    assert WebhookDelivery.objects.count() == 2
    assert webhook_deliveries_prune(now=timezone.now() + timedelta(days=29)) == 0
    later = timezone.now() + timedelta(days=31)
    assert webhook_deliveries_prune(now=later) == 2  # the delivered one and its attempt
    (waiting,) = WebhookDelivery.objects.all()
    assert waiting.status == "pending"  # still being retried: kept


def test_backoff_doubles_and_has_a_ceiling():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == timedelta(hours=6)


# SSRF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://crm.example.kz/hook",
        "ftp://crm.example.kz/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:10.0.0.1]/hook",
        "https://[fd00::1]/hook",
        "https://localhost/hook",
        "https://127.0.0.1/hook",
        "https://user:pw@crm.example.kz/hook",
        "https://intranet/hook",
        "crm.example.kz",
    ],
)
def test_the_form_refuses_addresses_it_may_not_send_to(url, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    form = WebhookEndpointForm({"url": url, "event_types": ["order.paid"]})
    assert not form.is_valid()
    assert "url" in form.errors


def test_public_https_addresses_are_accepted(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    assert (
        webhook_url_check("https://crm.example.kz/hooks?x=1") == "https://crm.example.kz/hooks?x=1"
    )
    assert webhook_url_check("https://8.8.8.8/hook")


def test_http_is_for_this_machine_only_and_only_when_local_is_allowed(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True
    assert webhook_url_check("http://127.0.0.1:8000/hook")
    assert webhook_url_check("http://localhost:8000/hook")
    with pytest.raises(UnsafeWebhookAddress):
        webhook_url_check("http://crm.example.kz/hook")
    with pytest.raises(UnsafeWebhookAddress):
        webhook_url_check("https://10.1.2.3/hook")
    settings.PRODUCTION = True
    with pytest.raises(UnsafeWebhookAddress):
        webhook_url_check("http://127.0.0.1:8000/hook")


def test_a_name_resolving_to_a_private_address_is_not_connected_to(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    import socket

    def resolves_private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolves_private)
    with pytest.raises(UnsafeWebhookAddress):
        webhook_address_resolve("rebind.example.kz", 443)


def test_a_delivery_to_this_machine_is_refused_when_local_is_not_allowed(
    shop, settings, django_capture_on_commit_callbacks
):
    with webhook_receiver() as receiver:
        _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        settings.WEBHOOKS_ALLOW_LOCAL = False
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
        assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_response_status is None and delivery.last_error


# The cabinet ---------------------------------------------------------------------------------


def test_the_owner_makes_a_webhook_and_sees_its_secret_once(client, shop):
    client.force_login(shop["owner"])
    url = reverse("organizers:webhooks", kwargs={"organizer_slug": shop["organizer"].slug})
    response = client.post(
        url, {"url": "http://127.0.0.1:9/hook", "event_types": ["order.paid", "event.sold_out"]}
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(organizer=shop["organizer"])
    assert endpoint.event_types == ["order.paid", "event.sold_out"]
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(url).content.decode()
    detail = reverse(
        "organizers:webhook_detail",
        kwargs={"organizer_slug": shop["organizer"].slug, "pk": endpoint.pk},
    )
    page = client.get(detail).content.decode()
    assert endpoint.secret_hint in page and endpoint.secret not in page


def test_the_form_explains_a_refused_address(client, shop, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    client.force_login(shop["owner"])
    url = reverse("organizers:webhooks", kwargs={"organizer_slug": shop["organizer"].slug})
    response = client.post(url, {"url": "https://192.168.0.10/hook", "event_types": ["order.paid"]})
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_rotating_the_secret_signs_with_the_new_one(client, shop):
    new = _endpoint(shop["organizer"], "http://127.0.0.1:9/hook")
    client.force_login(shop["owner"])
    url = reverse(
        "organizers:webhook_rotate",
        kwargs={"organizer_slug": shop["organizer"].slug, "pk": new.endpoint.pk},
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"confirm": "yes"})
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret != new.secret
    assert endpoint.secret in response.content.decode()


def test_the_log_shows_codes_and_sends_again(client, shop, django_capture_on_commit_callbacks):
    with webhook_receiver(500) as receiver:
        new = _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
        delivery = WebhookDelivery.objects.get()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")
        client.force_login(shop["owner"])
        kwargs = {"organizer_slug": shop["organizer"].slug, "pk": new.endpoint.pk}
        page = client.get(reverse("organizers:webhook_detail", kwargs=kwargs)).content.decode()
        assert ">500<" in page and "order.paid" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("organizers:webhook_resend", kwargs={**kwargs, "delivery_id": delivery.pk})
            )
        assert response.status_code == 302
        assert len(receiver.requests) == 2
    again = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert again.event_id == delivery.event_id and again.status == "succeeded"
    assert json.loads(receiver.requests[1].body)["id"] == str(delivery.event_id)


def test_switching_off_by_hand_stops_deliveries(client, shop, django_capture_on_commit_callbacks):
    with webhook_receiver() as receiver:
        new = _endpoint(shop["organizer"], receiver.url, ["order.paid"])
        client.force_login(shop["owner"])
        kwargs = {"organizer_slug": shop["organizer"].slug, "pk": new.endpoint.pk}
        client.post(reverse("organizers:webhook_toggle", kwargs=kwargs))
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
        assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_another_organizers_webhook_is_not_found(client, shop):
    new = _endpoint(OrganizerFactory(), "http://127.0.0.1:9/hook")
    client.force_login(shop["owner"])
    url = reverse(
        "organizers:webhook_detail",
        kwargs={"organizer_slug": shop["organizer"].slug, "pk": new.endpoint.pk},
    )
    assert client.get(url).status_code == 404


def _paid_deliveries(organizer) -> list[int]:
    """The endpoints that got an ``order.paid`` delivery for one more paid order, by id."""
    from organizers.webhooks.services import webhook_emit

    before = set(WebhookDelivery.objects.values_list("pk", flat=True))
    webhook_emit(organizer_id=organizer.pk, event_type="order.paid", data={"n": 1})
    return sorted(
        WebhookDelivery.objects.exclude(pk__in=before).values_list("endpoint_id", flat=True)
    )


def test_an_organizer_without_webhooks_costs_a_paid_order_no_query_after_the_first(
    shop, django_assert_num_queries
):
    from organizers.webhooks.services import webhook_emit

    organizer = shop["organizer"]
    with django_assert_num_queries(1):
        assert webhook_emit(organizer_id=organizer.pk, event_type="order.paid", data={}) == 0
    with django_assert_num_queries(0):
        assert webhook_emit(organizer_id=organizer.pk, event_type="order.paid", data={}) == 0


def test_every_change_of_an_endpoint_is_seen_by_the_next_event(shop):
    from organizers.webhooks.services import (
        webhook_endpoint_delete,
        webhook_endpoint_disable,
        webhook_endpoint_update,
    )

    organizer = shop["organizer"]
    assert _paid_deliveries(organizer) == []  # "none" is cached now
    first = _endpoint(organizer, "http://127.0.0.1:9/a", ["order.paid"]).endpoint
    assert _paid_deliveries(organizer) == [first.pk]
    second = _endpoint(organizer, "http://127.0.0.1:9/b", ["order.refunded"]).endpoint
    assert _paid_deliveries(organizer) == [first.pk]
    webhook_endpoint_update(
        endpoint_id=second.pk, organizer=organizer, url=second.url, event_types=ALL_TYPES
    )
    assert _paid_deliveries(organizer) == [first.pk, second.pk]
    webhook_endpoint_disable(endpoint_id=first.pk, organizer=organizer)
    assert _paid_deliveries(organizer) == [second.pk]
    webhook_endpoint_enable(endpoint_id=first.pk, organizer=organizer)
    assert _paid_deliveries(organizer) == [first.pk, second.pk]
    webhook_endpoint_delete(endpoint_id=second.pk, organizer=organizer)
    assert _paid_deliveries(organizer) == [first.pk]


def test_an_endpoint_changed_outside_the_services_is_seen_by_the_next_event(shop):
    """The cache is forgotten by the endpoint itself: a change from the shell or a data fix
    is seen at once, not after the cache's minute."""
    organizer = shop["organizer"]
    endpoint = _endpoint(organizer, "http://127.0.0.1:9/a", ["order.paid"]).endpoint
    assert _paid_deliveries(organizer) == [endpoint.pk]  # cached while on
    endpoint.is_active = False
    endpoint.save()
    assert _paid_deliveries(organizer) == []
    endpoint.is_active = True
    endpoint.save()
    assert _paid_deliveries(organizer) == [endpoint.pk]
    endpoint.delete()
    assert _paid_deliveries(organizer) == []


def test_an_endpoint_switched_off_for_failing_gets_no_new_events(
    shop, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 1
    organizer = shop["organizer"]
    with webhook_receiver(500) as receiver:
        new = _endpoint(organizer, receiver.url, ["order.paid"])
        assert _paid_deliveries(organizer) == [new.endpoint.pk]  # cached while on
        with django_capture_on_commit_callbacks(execute=True):
            _pay(place_order({shop["ticket_type"]: 1}))
    assert not WebhookEndpoint.objects.get(pk=new.endpoint.pk).is_active
    assert _paid_deliveries(organizer) == []

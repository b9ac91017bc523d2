from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import TicketType
from tests.factories import TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.errors import InvalidTransition
from tickets.models import Order, OrderItem, Payment
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_lifecycle import order_cancel, order_expire, order_mark_paid
from tickets.services.order_states import Actor
from tickets.tasks import orders_expire_overdue_task

pytestmark = pytest.mark.django_db


def _taken(tt) -> int:
    return TicketType.objects.get(pk=tt.pk).quantity_taken


def test_order_code_is_short_unambiguous_and_secret_is_long():
    order = place_order()
    assert len(order.code) == 8
    assert not set(order.code) & set("01IO")
    assert len(order.secret) >= 32


def test_unpaid_order_expires_after_the_payment_window_and_returns_tickets():
    tt = TicketTypeFactory(quantity=5)
    order = place_order({tt: 3})
    assert _taken(tt) == 3
    assert orders_expire_overdue_task.delay().get() == 0  # not due yet
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(seconds=1))
    assert orders_expire_overdue_task.delay().get() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert _taken(tt) == 0
    assert order.log.last().from_status == "pending"
    assert order.log.last().to_status == "expired"
    # expiring again changes nothing
    assert order_expire(order_id=order.pk) is False
    assert _taken(tt) == 0


def test_paying_twice_changes_nothing_the_second_time(
    mailoutbox, django_capture_on_commit_callbacks
):
    order = place_order()
    payment = payment_start(order_id=order.pk, provider_name="test")
    with django_capture_on_commit_callbacks(execute=True):
        payment_complete(payment_id=payment.pk, succeeded=True, actor=Actor(label="test"))
        payment_complete(payment_id=payment.pk, succeeded=True, actor=Actor(label="test"))
        order_mark_paid(order_id=order.pk, actor=Actor(label="test"))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.log.filter(to_status="paid").count() == 1
    assert len(mailoutbox) == 1


def test_late_payment_of_expired_order_takes_tickets_again_if_free():
    tt = TicketTypeFactory(quantity=2)
    order = place_order({tt: 2})
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now())
    order_expire(order_id=order.pk)
    assert _taken(tt) == 0
    order_mark_paid(order_id=order.pk, actor=Actor(label="provider"))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert _taken(tt) == 2


def test_cancelled_orders_cannot_be_paid():
    order = place_order()
    order_cancel(order_id=order.pk, actor=Actor(label="organizer"))
    with pytest.raises(InvalidTransition):
        order_mark_paid(order_id=order.pk, actor=Actor(label="provider"))
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED


def test_pending_cancel_returns_tickets_and_logs_who(django_user_model):
    tt = TicketTypeFactory(quantity=5)
    order = place_order({tt: 2})
    user = django_user_model.objects.create_user("org", "org@example.kz", "x")
    order_cancel(order_id=order.pk, actor=Actor(user=user, label="organizer"), reason="дубль")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert _taken(tt) == 0
    entry = order.log.last()
    assert (entry.from_status, entry.to_status, entry.actor, entry.note) == (
        "pending",
        "cancelled",
        user,
        "дубль",
    )
    assert set(order.items.values_list("status", flat=True)) == {OrderItem.Status.CANCELLED}


def test_full_flow_with_the_test_provider(client, policy):
    from tests.tickets.helpers import buyer_data, choose, idempotency_key

    tt = TicketTypeFactory(price=Decimal("7000"), quantity=5)
    choose(client, tt.session, {tt: 2})
    order_url = client.post(reverse("tickets:checkout"), buyer_data(idempotency_key(client)))[
        "Location"
    ]
    order = Order.objects.get()
    page = client.get(order_url).content.decode()
    assert "14\u00a0000\u00a0₸" in page
    response = client.post(
        reverse("tickets:order_pay", args=[order.code]), {"provider": "test", "s": order.secret}
    )
    payment = Payment.objects.get()
    assert response["Location"] == reverse("tickets:test_payment", args=[payment.public_id])
    assert payment.amount == Decimal("14000.00")
    test_page = client.get(response["Location"])
    assert "14\u00a0000\u00a0₸" in test_page.content.decode()
    done = client.post(response["Location"], {"decision": "approve"}, follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert "Оплата получена" in done.content.decode()
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    # the page cannot be used to pay again
    client.post(reverse("tickets:test_payment", args=[payment.public_id]), {"decision": "approve"})
    assert Order.objects.get().log.filter(to_status="paid").count() == 1


def test_declined_test_payment_leaves_the_order_pending(client, policy):
    order = place_order()
    payment = payment_start(order_id=order.pk, provider_name="test")
    response = client.post(
        reverse("tickets:test_payment", args=[payment.public_id]), {"decision": "decline"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert Payment.objects.get().status == Payment.Status.FAILED


def test_test_provider_is_unavailable_when_not_enabled(client, settings):
    order = place_order()
    payment = payment_start(order_id=order.pk, provider_name="test")
    settings.TICKETS_PAYMENT_PROVIDERS = ["cloudpayments"]
    url = reverse("tickets:test_payment", args=[payment.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert Order.objects.get().status == Order.Status.PENDING


def test_only_the_buyer_can_start_a_payment(client):
    order = place_order()
    response = client.post(reverse("tickets:order_pay", args=[order.code]), {"provider": "test"})
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_repeated_orders_from_one_ip_are_flagged_for_review(settings):
    settings.IP_RISK_MAX_ORDERS = 3
    orders = [place_order() for _n in range(3)]
    assert [o.needs_review for o in orders] == [False, False, True]
    assert "orders" in Order.objects.get(pk=orders[-1].pk).review_reason


def test_confirmation_is_written_in_the_buyers_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    order = place_order()
    Order.objects.filter(pk=order.pk).update(language="kk")
    payment = payment_start(order_id=order.pk, provider_name="test")
    with django_capture_on_commit_callbacks(execute=True):
        payment_complete(payment_id=payment.pk, succeeded=True, actor=Actor(label="test"))
    message = mailoutbox[0]
    assert message.subject == f"{order.code} тапсырысы: {order.event.title_kk}"
    assert "расталды" in message.body
    html = message.alternatives[0][0]
    assert f"?s={order.secret}" in html
    assert "10\u00a0000\u00a0₸" in html


def test_second_click_on_pay_reuses_the_started_payment(client):
    order = place_order()
    data = {"provider": "test", "s": order.secret}
    first = client.post(reverse("tickets:order_pay", args=[order.code]), data)
    second = client.post(reverse("tickets:order_pay", args=[order.code]), data)
    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1


def test_money_arriving_twice_flags_the_order_for_review():
    order = place_order()
    first = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(payment_id=first.pk, succeeded=True, actor=Actor(label="test"))
    late = Payment.objects.create(order=order, provider="test", amount=order.total)
    payment_complete(payment_id=late.pk, succeeded=True, actor=Actor(label="test"))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.needs_review is True
    assert order.log.filter(to_status="paid").count() == 1
    # each payment noted in the IP log: the second one alone, the order being paid already
    from privacy.models import IpEvent

    assert IpEvent.objects.filter(reference=order.code, kind="payment_succeeded").count() == 2


def test_payment_outcomes_are_reported_to_the_ip_log(settings):
    from privacy.models import IpEvent

    settings.IP_RISK_MAX_FAILED_PAYMENTS = 2
    order = place_order()
    for _n in range(2):
        payment = Payment.objects.create(order=order, provider="test", amount=order.total)
        payment_complete(payment_id=payment.pk, succeeded=False, actor=Actor(label="test"))
    order.refresh_from_db()
    assert order.needs_review is True
    assert "failed payments" in order.review_reason
    paid = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(payment_id=paid.pk, succeeded=True, actor=Actor(label="test"))
    kinds = list(IpEvent.objects.filter(reference=order.code).values_list("kind", flat=True))
    assert sorted(kinds) == [
        "order_created",
        "payment_failed",
        "payment_failed",
        "payment_succeeded",
    ]


def test_buyer_can_cancel_an_unpaid_order_but_not_a_strangers(client):
    tt = TicketTypeFactory(quantity=5)
    order = place_order({tt: 2})
    url = reverse("tickets:order_cancel", args=[order.code])
    assert client.post(url).status_code == 404
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING
    response = client.post(url, {"s": order.secret}, follow=True)
    assert "Заказ отменён" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.log.last().actor_label == "buyer"
    assert _taken(tt) == 0


def test_checkout_after_expiry_says_the_reservation_expired():
    from tests.tickets.factories import new_token
    from tickets.errors import ReservationExpired
    from tickets.models import Reservation
    from tickets.services.cart import cart_set_quantities
    from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create

    tt = TicketTypeFactory(quantity=3)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 2})
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ReservationExpired):
        order_create(
            cart_token=token,
            idempotency_key=new_token(),
            buyer=BuyerDetails(surname="А", name="Б", phone="+77011234567", email="a@b.kz"),
            consent=ConsentInput(processing_wording="Согласен"),
        )
    assert _taken(tt) == 0

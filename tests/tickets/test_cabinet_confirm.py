"""Destructive cabinet actions on orders are two steps: the confirmation page states the orders,
tickets and money (figures from ``tickets.selectors``); only the confirming POST acts, and only
on the figures that were shown. Cancelling an event also needs its title typed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from events.models import Event, TicketType
from organizers.models import Membership
from tests.factories import EventFactory, MembershipFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.checkin.services import scanner_device_create
from tickets.models import Order, OrderItem, Refund, ScannerDevice
from tickets.payments.services import payment_complete, payment_start
from tickets.selectors import event_cancel_figures, order_refund_figures
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _paid_order(tt, quantity=2, email="buyer@example.kz"):
    order = place_order({tt: quantity}, email=email)
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


@pytest.fixture
def tt():
    return TicketTypeFactory(price=Decimal("5000"), quantity=20)


@pytest.fixture
def event(tt):
    return tt.session.event


@pytest.fixture
def organizer(tt):
    return tt.session.event.organizer


def _client_of(client, organizer, role):
    client.force_login(MembershipFactory(organizer=organizer, role=role).user)
    return client


@pytest.fixture
def manager_client(client, organizer):
    return _client_of(client, organizer, Membership.Role.MANAGER)


@pytest.fixture
def sales(tt):
    """One order awaiting payment (1 ticket), one paid (2 tickets), one paid with one of its
    three tickets already refunded, and one order of another event that must not count."""
    pending = place_order({tt: 1}, email="pending@example.kz")
    paid = _paid_order(tt, quantity=2, email="paid@example.kz")
    partly = _paid_order(tt, quantity=3, email="partly@example.kz")
    order_refund(
        order_id=partly.pk, actor=Actor(label="organizer"), item_ids=[partly.items.first().pk]
    )
    elsewhere = _paid_order(TicketTypeFactory(price=Decimal("7000")), quantity=1)
    return {"pending": pending, "paid": paid, "partly": partly, "elsewhere": elsewhere}


def _statuses():
    return dict(Order.objects.values_list("code", "status")), Refund.objects.count()


def _cancel_url(event):
    return reverse(
        "events_cabinet:event_cancel",
        kwargs={"organizer_slug": event.organizer.slug, "pk": event.pk},
    )


# --- Cancelling an event ----------------------------------------------------------------------


def test_cancel_figures_count_live_orders_their_valid_tickets_and_the_money(event, sales):
    figures = event_cancel_figures(event_id=event.pk)
    assert (figures.orders, figures.paid_orders, figures.tickets) == (3, 2, 5)
    assert figures.refund_amount == Decimal("20000.00")


def test_cancel_page_states_orders_tickets_and_money_and_writes_nothing(
    manager_client, event, sales
):
    before = _statuses()
    response = manager_client.get(_cancel_url(event))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="figure-orders">3<' in html
    assert 'data-testid="figure-paid-orders">2<' in html
    assert 'data-testid="figure-tickets">5<' in html
    assert f'data-testid="figure-amount">20{NBSP}000{NBSP}₸<' in html
    assert event.title_ru in html
    assert _statuses() == before
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_the_old_single_post_without_the_title_cancels_nothing(manager_client, event, sales):
    before = _statuses()
    response = manager_client.post(_cancel_url(event))
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert _statuses() == before


def test_a_wrong_title_is_a_form_error_and_nothing_happens(manager_client, event, sales):
    before = _statuses()
    expected = event_cancel_figures(event_id=event.pk).fingerprint
    response = manager_client.post(
        _cancel_url(event), {"title": event.title_ru + "!", "expected": expected}
    )
    assert response.status_code == 200
    assert "Название не совпадает" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert _statuses() == before


def test_the_right_title_cancels_the_event_and_refunds_what_was_stated(
    manager_client, event, sales, tt, mailoutbox, django_capture_on_commit_callbacks
):
    page = manager_client.get(_cancel_url(event))
    expected = page.context["figures"].fingerprint
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            _cancel_url(event), {"title": f"  {event.title_ru} ", "expected": expected}
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    orders = {key: Order.objects.get(pk=order.pk) for key, order in sales.items()}
    assert orders["pending"].status == Order.Status.CANCELLED
    assert orders["paid"].status == Order.Status.REFUNDED
    assert orders["partly"].status == Order.Status.REFUNDED
    assert orders["elsewhere"].status == Order.Status.PAID
    # The money stated on the page is the money refunded now (the earlier partial refund aside).
    refunded_now = Refund.objects.filter(order__event=event).exclude(
        pk=Refund.objects.filter(order=sales["partly"]).order_by("pk").first().pk
    )
    assert sum(r.amount for r in refunded_now) == Decimal("20000.00")
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 0


def test_a_title_in_another_language_of_the_event_is_accepted(manager_client, event):
    expected = event_cancel_figures(event_id=event.pk).fingerprint
    manager_client.post(_cancel_url(event), {"title": event.title_en, "expected": expected})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_an_order_placed_after_the_page_was_shown_stops_the_cancellation(
    manager_client, event, tt, sales
):
    expected = manager_client.get(_cancel_url(event)).context["figures"].fingerprint
    place_order({tt: 2}, email="late@example.kz")
    response = manager_client.post(
        _cancel_url(event), {"title": event.title_ru, "expected": expected}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "изменились" in html
    assert 'data-testid="figure-orders">4<' in html  # the new figures are shown
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


@pytest.mark.parametrize("role", [Membership.Role.CHECKIN, Membership.Role.ACCOUNTANT])
def test_roles_without_events_get_403_on_the_cancel_page_too(client, organizer, event, role):
    _client_of(client, organizer, role)
    expected = event_cancel_figures(event_id=event.pk).fingerprint
    assert client.get(_cancel_url(event)).status_code == 403
    response = client.post(_cancel_url(event), {"title": event.title_ru, "expected": expected})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_another_organizers_event_cancel_page_is_404(manager_client, organizer):
    theirs = EventFactory()
    url = reverse(
        "events_cabinet:event_cancel", kwargs={"organizer_slug": organizer.slug, "pk": theirs.pk}
    )
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, {"title": theirs.title_ru}).status_code == 404


def test_a_cancelled_event_has_no_cancel_page(manager_client, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    response = manager_client.get(_cancel_url(event))
    assert response.status_code == 302


def test_the_cancel_page_is_translated(manager_client, event, sales):
    url = _cancel_url(event)  # reversed once: a /kk/ request leaves Kazakh active
    kk = manager_client.get("/kk" + url).content.decode()
    en = manager_client.get("/en" + url).content.decode()
    assert "Сатып алушыларға қайтарылатын ақша" in kk
    assert "Іс-шараны болдырмау және ақшаны қайтару" in kk
    assert "Money returned to buyers" in en
    assert "Back, change nothing" in en


# --- Refunding an order -----------------------------------------------------------------------


def _refund_url(organizer, order):
    return reverse("tickets:cabinet_order_refund", args=[organizer.slug, order.code])


def test_refund_page_of_chosen_tickets_states_the_partial_amount_and_writes_nothing(
    manager_client, organizer, tt
):
    order = _paid_order(tt, quantity=3)
    first, second, _third = order.items.order_by("id")
    response = manager_client.get(_refund_url(organizer, order), {"item": [first.pk, second.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="figure-tickets">2<' in html
    assert f'data-testid="figure-amount">10{NBSP}000{NBSP}₸<' in html
    assert f"Вернуть 10{NBSP}000{NBSP}₸" in html
    assert not Refund.objects.exists()
    assert OrderItem.objects.filter(order=order, status=OrderItem.Status.VALID).count() == 3


def test_the_old_single_refund_post_only_shows_the_confirmation(manager_client, organizer, tt):
    order = _paid_order(tt, quantity=2)
    response = manager_client.post(_refund_url(organizer, order), {"all": "1", "reason": "болел"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="figure-amount">10{NBSP}000{NBSP}₸<' in html
    assert 'value="болел"' in html  # the reason is carried to the confirmation
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not Refund.objects.exists()


def test_confirming_refunds_exactly_the_tickets_shown(manager_client, organizer, tt):
    order = _paid_order(tt, quantity=3)
    first = order.items.order_by("id").first()
    data = {"item": [first.pk], "reason": "болел"}
    expected = order_refund_figures(order=order, item_ids=[first.pk]).fingerprint
    response = manager_client.post(
        _refund_url(organizer, order), {**data, "confirm": "yes", "expected": expected}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.refunded_amount == Decimal("5000.00")
    assert Refund.objects.get().reason == "болел"
    assert OrderItem.objects.get(pk=first.pk).status == OrderItem.Status.REFUNDED


def test_a_refund_confirmed_on_stale_figures_does_nothing(manager_client, organizer, tt):
    order = _paid_order(tt, quantity=2)
    stale = order_refund_figures(order=order, item_ids=None).fingerprint
    order_refund(order_id=order.pk, actor=Actor(), item_ids=[order.items.first().pk])
    response = manager_client.post(
        _refund_url(organizer, order), {"all": "1", "confirm": "yes", "expected": stale}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Заказ изменился" in html
    assert f'data-testid="figure-amount">5{NBSP}000{NBSP}₸<' in html
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Refund.objects.count() == 1


def test_cancelling_an_unpaid_order_states_that_no_money_moves(manager_client, organizer, tt):
    order = place_order({tt: 2})
    response = manager_client.get(_refund_url(organizer, order), {"all": "1"})
    html = response.content.decode()
    assert 'data-testid="figure-tickets">2<' in html
    assert f'data-testid="figure-amount">0{NBSP}₸<' in html
    assert "Отменить заказ" in html
    expected = response.context["figures"].fingerprint
    manager_client.post(
        _refund_url(organizer, order), {"all": "1", "confirm": "yes", "expected": expected}
    )
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_nothing_to_refund_goes_back_with_a_reason(manager_client, organizer, tt):
    order = _paid_order(tt, quantity=1)
    order_refund(order_id=order.pk, actor=Actor())
    response = manager_client.get(_refund_url(organizer, order), {"all": "1"}, follow=True)
    assert "невозможно" in response.content.decode()
    response = manager_client.get(_refund_url(organizer, order), {"item": ["x²"]}, follow=True)
    assert "Выберите хотя бы один билет" in response.content.decode()
    assert Refund.objects.count() == 1


@pytest.mark.parametrize("role", [Membership.Role.CHECKIN, Membership.Role.ACCOUNTANT])
def test_roles_without_orders_get_403_on_the_refund_page_too(client, organizer, tt, role):
    order = _paid_order(tt, quantity=1)
    _client_of(client, organizer, role)
    expected = order_refund_figures(order=order, item_ids=None).fingerprint
    assert client.get(_refund_url(organizer, order), {"all": "1"}).status_code == 403
    response = client.post(
        _refund_url(organizer, order), {"all": "1", "confirm": "yes", "expected": expected}
    )
    assert response.status_code == 403
    assert not Refund.objects.exists()


# --- Re-issuing a QR code, revoking a scanner -------------------------------------------------


def test_reissue_asks_first(manager_client, organizer, tt):
    order = _paid_order(tt, quantity=1)
    item = order.items.get()
    url = reverse("tickets:cabinet_item_reissue", args=[organizer.slug, order.code, item.pk])
    for response in (manager_client.get(url), manager_client.post(url)):
        assert response.status_code == 200
        assert "старый перестаёт действовать" in response.content.decode()
    assert OrderItem.objects.get(pk=item.pk).secret == item.secret
    assert manager_client.post(url, {"confirm": "yes"}).status_code == 302
    assert OrderItem.objects.get(pk=item.pk).secret != item.secret


def test_scanner_revoke_asks_first(manager_client, organizer):
    device = scanner_device_create(organizer=organizer, label="Вход Б", created_by=None).device
    url = reverse("tickets:scanner_device_revoke", args=[organizer.slug, device.pk])
    for response in (manager_client.get(url), manager_client.post(url)):
        assert response.status_code == 200
        assert "Вход Б" in response.content.decode()
    assert ScannerDevice.objects.get(pk=device.pk).revoked_at is None
    assert manager_client.post(url, {"confirm": "yes"}).status_code == 302
    assert ScannerDevice.objects.get(pk=device.pk).revoked_at is not None
    assert "Отозван" in manager_client.get(url).content.decode()


def test_another_organizers_scanner_has_no_revoke_page(manager_client, organizer):
    theirs = scanner_device_create(
        organizer=TicketTypeFactory().session.event.organizer, label="Чужой", created_by=None
    ).device
    url = reverse("tickets:scanner_device_revoke", args=[organizer.slug, theirs.pk])
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, {"confirm": "yes"}).status_code == 404
    assert ScannerDevice.objects.get(pk=theirs.pk).revoked_at is None

"""The tickets app reacting to the catalogue's real entry points (page reads, event cancel)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import TicketType
from events.services import event_cancel
from tests.factories import TicketTypeFactory
from tests.tickets.factories import new_token
from tests.tickets.flows import place_order
from tickets.models import Order, Reservation
from tickets.services.cart import cart_set_quantities
from tickets.tasks import reservations_release_expired_task

pytestmark = pytest.mark.django_db


def test_expired_holds_come_back_on_sale_from_the_periodic_task_not_from_a_page_view(client):
    tt = TicketTypeFactory(quantity=1, name_ru="Единственный")
    cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 1})
    page = client.get(tt.session.event.get_absolute_url())
    assert f'id="qty-{tt.pk}"' in page.content.decode()
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 1
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.get(tt.session.event.get_absolute_url())
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 1  # a GET writes nothing
    assert reservations_release_expired_task.delay().get() == 1  # beat, every minute
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 0
    html = client.get(tt.session.event.get_absolute_url()).content.decode()
    assert f'name="qty_{tt.pk}" min="0" max="10" value="0">' in html  # enabled again


def test_cancelling_an_event_through_its_service_cancels_orders(
    mailoutbox, django_capture_on_commit_callbacks
):
    tt = TicketTypeFactory(price=Decimal("3000"), quantity=5)
    order = place_order({tt: 2})
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=tt.session.event)
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 0
    assert [m.to for m in mailoutbox] == [["buyer@example.kz"]]


def test_event_page_offers_no_purchase_for_a_cancelled_event_or_closed_sales(client):
    from events.models import Event

    closed = TicketTypeFactory(sale_ends_at=timezone.now() - timedelta(hours=1))
    html = client.get(closed.session.event.get_absolute_url()).content.decode()
    assert f'id="qty-{closed.pk}"' in html
    assert "Продажа закончилась" in html
    assert f'name="qty_{closed.pk}" min="0" max="10" value="0" disabled>' in html
    Event.objects.filter(pk=closed.session.event_id).update(status=Event.Status.CANCELLED)
    html = client.get(closed.session.event.get_absolute_url()).content.decode()
    assert f'id="qty-{closed.pk}"' not in html


def test_checkout_is_refused_once_the_event_is_cancelled(client, policy):
    from django.urls import reverse

    from events.models import Event
    from tests.tickets.helpers import buyer_data, choose, idempotency_key

    tt = TicketTypeFactory(quantity=5)
    choose(client, tt.session, {tt: 1})
    key = idempotency_key(client)
    Event.objects.filter(pk=tt.session.event_id).update(status=Event.Status.CANCELLED)
    response = client.post(reverse("tickets:checkout"), buyer_data(key))
    assert response.status_code == 400
    assert "сейчас не продаются" in response.content.decode()
    assert not Order.objects.exists()

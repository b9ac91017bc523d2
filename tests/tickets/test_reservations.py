from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from events.models import TicketType
from tests.factories import SessionFactory, TicketTypeFactory
from tests.tickets.factories import new_token
from tickets.errors import NotOnSale, OrderLimitExceeded, SoldOut
from tickets.models import Reservation
from tickets.selectors import cart_quantities, cart_view
from tickets.services.cart import cart_clear, cart_set_quantities
from tickets.services.inventory import reservations_release
from tickets.tasks import reservations_release_expired_task

pytestmark = pytest.mark.django_db


def _taken(ticket_type) -> int:
    return TicketType.objects.get(pk=ticket_type.pk).quantity_taken


def test_choosing_tickets_holds_them_and_lowers_availability():
    tt = TicketTypeFactory(quantity=10)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 3})
    assert _taken(tt) == 3
    assert TicketType.objects.get(pk=tt.pk).quantity_available == 7
    hold = Reservation.objects.get(cart__token=token)
    assert hold.quantity == 3
    remaining = (hold.expires_at - timezone.now()).total_seconds()
    assert 14 * 60 < remaining <= 15 * 60


def test_reservation_time_is_configurable(settings):
    settings.TICKETS_RESERVATION_MINUTES = 5
    tt = TicketTypeFactory()
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 1})
    view = cart_view(cart_token=token)
    assert 4 * 60 < view.seconds_left <= 5 * 60


def test_changing_quantities_takes_and_returns_only_the_difference():
    tt = TicketTypeFactory(quantity=10)
    other = TicketTypeFactory(session=tt.session, quantity=10)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 3, other.pk: 2})
    cart_set_quantities(cart_token=token, quantities={tt.pk: 1, other.pk: 0})
    assert _taken(tt) == 1
    assert _taken(other) == 0
    assert cart_quantities(cart_token=token) == {tt.pk: 1}


def test_the_choice_form_is_filled_with_live_holds_of_this_cart_only():
    """An expired hold (not released yet), another cart's hold and an unknown cart count
    nothing; the live holds count what they hold."""
    tt = TicketTypeFactory(quantity=10)
    other = TicketTypeFactory(session=tt.session, quantity=10)
    token, stranger = new_token(), new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 2, other.pk: 1})
    cart_set_quantities(cart_token=stranger, quantities={tt.pk: 4})
    assert cart_quantities(cart_token=token) == {tt.pk: 2, other.pk: 1}
    Reservation.objects.filter(cart__token=token, ticket_type=other).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert cart_quantities(cart_token=token) == {tt.pk: 2}
    assert cart_quantities(cart_token=new_token()) == {}
    assert cart_quantities(cart_token=None) == {}


def test_last_tickets_cannot_be_held_twice():
    tt = TicketTypeFactory(quantity=2)
    cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 2})
    with pytest.raises(SoldOut) as exc:
        cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 1})
    assert "распроданы" in str(exc.value.message)
    assert _taken(tt) == 2


def test_sold_out_message_says_how_many_are_left_and_changes_nothing():
    tt = TicketTypeFactory(quantity=5)
    other = TicketTypeFactory(session=tt.session, quantity=5)
    cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 4})
    token = new_token()
    with pytest.raises(SoldOut) as exc:
        cart_set_quantities(cart_token=token, quantities={other.pk: 2, tt.pk: 3})
    assert "Остался только 1 билет" in str(exc.value.message)
    assert _taken(other) == 0  # the whole choice is rolled back
    assert not Reservation.objects.filter(cart__token=token).exists()


def test_per_order_limit_is_enforced_when_choosing_and_when_raising_a_choice():
    tt = TicketTypeFactory(quantity=50, max_per_order=4)
    token = new_token()
    with pytest.raises(OrderLimitExceeded):
        cart_set_quantities(cart_token=token, quantities={tt.pk: 5})
    cart_set_quantities(cart_token=token, quantities={tt.pk: 3})
    cart_set_quantities(cart_token=token, quantities={tt.pk: 4})
    with pytest.raises(OrderLimitExceeded) as exc:
        cart_set_quantities(cart_token=token, quantities={tt.pk: 5})
    assert "Не более 4" in str(exc.value.message)
    assert _taken(tt) == 4


def test_tickets_not_on_sale_cannot_be_held():
    tt = TicketTypeFactory(sale_starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(NotOnSale):
        cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 1})
    past = TicketTypeFactory(session=SessionFactory(starts_at=timezone.now() - timedelta(hours=1)))
    with pytest.raises(NotOnSale):
        cart_set_quantities(cart_token=new_token(), quantities={past.pk: 1})
    assert _taken(tt) == 0 and _taken(past) == 0


def test_cart_holds_one_event_at_a_time():
    first = TicketTypeFactory(quantity=5)
    second = TicketTypeFactory(quantity=5)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={first.pk: 2})
    cart_set_quantities(cart_token=token, quantities={second.pk: 1})
    assert _taken(first) == 0
    assert _taken(second) == 1


def test_a_purchase_gives_back_other_carts_expired_holds_of_its_type_first():
    tt = TicketTypeFactory(quantity=3)
    other = TicketTypeFactory(quantity=3)
    stale = new_token()
    cart_set_quantities(cart_token=stale, quantities={tt.pk: 3})
    cart_set_quantities(cart_token=new_token(), quantities={other.pk: 1})
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _taken(tt) == 3  # nothing happens by itself (pages only read)
    cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 2})
    assert _taken(tt) == 2
    assert Reservation.objects.get(cart__token=stale).released_at is not None
    assert _taken(other) == 1  # only the type being bought is released
    # a second release (or a concurrent one) does not return the same hold twice
    assert reservations_release(ticket_type_ids=[tt.pk]) == 0
    assert _taken(tt) == 2


def test_a_purchase_never_takes_live_holds_of_others():
    tt = TicketTypeFactory(quantity=3)
    cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 2})
    with pytest.raises(SoldOut):
        cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 2})
    assert _taken(tt) == 2


def test_periodic_task_releases_expired_holds_of_every_type():
    a = TicketTypeFactory(quantity=3)
    b = TicketTypeFactory(quantity=3)
    cart_set_quantities(cart_token=new_token(), quantities={a.pk: 1})
    cart_set_quantities(cart_token=new_token(), quantities={b.pk: 2})
    keep = TicketTypeFactory(quantity=3)
    cart_set_quantities(cart_token=new_token(), quantities={keep.pk: 1})
    Reservation.objects.exclude(ticket_type=keep).update(expires_at=timezone.now())
    assert reservations_release_expired_task.delay().get() == 3
    assert (_taken(a), _taken(b), _taken(keep)) == (0, 0, 1)


def test_expired_hold_is_not_extended_by_a_later_choice():
    tt = TicketTypeFactory(quantity=3)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 2})
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    cart_set_quantities(cart_token=token, quantities={tt.pk: 1})
    assert _taken(tt) == 1
    assert Reservation.objects.filter(released_at__isnull=True).get().quantity == 1


def test_cart_clear_returns_everything():
    tt = TicketTypeFactory(quantity=3)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 3})
    cart_clear(cart_token=token)
    assert _taken(tt) == 0


def test_database_refuses_overselling_even_without_the_service():
    tt = TicketTypeFactory(quantity=1)
    tt.quantity_taken = 2
    with pytest.raises(IntegrityError):
        tt.save()


def test_a_release_by_cart_frees_only_that_carts_expired_holds(django_assert_num_queries):
    tt, other = TicketTypeFactory(quantity=10), TicketTypeFactory(quantity=10)
    mine, theirs = new_token(), new_token()
    cart_set_quantities(cart_token=mine, quantities={tt.pk: 2})
    cart_set_quantities(cart_token=theirs, quantities={tt.pk: 3})
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    cart_set_quantities(cart_token=new_token(), quantities={other.pk: 1})  # live, another cart
    with django_assert_num_queries(1):  # nothing of the unknown cart: one statement, no more
        assert reservations_release(cart_token=new_token()) == 0
    assert reservations_release(cart_token=mine) == 2
    assert _taken(tt) == 3
    assert Reservation.objects.get(cart__token=theirs).released_at is None
    held = Reservation.objects.get(cart__token=mine)
    assert held.released_at is not None and held.release_batch is not None
    # by id, everything of the cart, expired or not
    cart_id = Reservation.objects.get(ticket_type=other).cart_id
    assert reservations_release(cart_id=cart_id, only_expired=False) == 1
    assert _taken(other) == 0
    assert reservations_release(ticket_type_ids=[]) == 0
    assert reservations_release(ticket_type_ids=[tt.pk]) == 3
    assert _taken(tt) == 0

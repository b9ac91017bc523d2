"""Holding, buying and giving back seats of a seated session."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import TicketType
from events.seating.services import session_seats_block
from tests.events.seatmap_factories import seat, seated_session
from tests.tickets.factories import new_token
from tickets.errors import NotOnSale, OrderLimitExceeded, SoldOut
from tickets.models import Order, OrderItem, Reservation, SeatClaim
from tickets.payments.services import payment_complete, payment_start
from tickets.seating.services import SeatUnavailable, seats_hold, seats_release
from tickets.services.cart import cart_set_quantities
from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create
from tickets.services.order_lifecycle import order_cancel, order_expire, order_mark_paid
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def _checkout(token: str) -> Order:
    return order_create(
        cart_token=token,
        idempotency_key=new_token(),
        buyer=BuyerDetails(surname="Иванов", name="Иван", phone="+77011234567", email="b@e.kz"),
        consent=ConsentInput(processing_wording="Согласен"),
    )


def _pay(order: Order) -> Order:
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(payment_id=payment.pk, succeeded=True, actor=Actor(label="test"))
    order.refresh_from_db()
    return order


@pytest.fixture
def hall():
    return seated_session(rows=5, seats_per_row=10)


def test_a_seated_session_has_one_ticket_type_per_category_counting_its_seats(hall):
    session, _map = hall
    counts = dict(session.ticket_types.values_list("name_ru", "quantity"))
    assert counts == {"VIP": 20, "Партер": 30}


def test_holding_seats_takes_the_counter_and_checkout_prints_the_seat_on_the_ticket(hall):
    session, seat_map = hall
    token = new_token()
    a, b = seat(seat_map, 3, 5), seat(seat_map, 3, 6)
    assert seats_hold(cart_token=token, session_id=session.pk, seat_ids=[a.pk, b.pk]) == sorted(
        [a.pk, b.pk]
    )
    stalls = TicketType.objects.get(session=session, name_ru="Партер")
    assert stalls.quantity_taken == 2
    assert Reservation.objects.get(cart__token=token).quantity == 2

    order = _pay(_checkout(token))
    labels = sorted(order.items.values_list("seat_label", flat=True))
    assert labels == ["Партер, ряд 3, место 5", "Партер, ряд 3, место 6"]
    assert order.total == 16000
    assert SeatClaim.objects.filter(order_item__order=order).count() == 2


def test_a_held_seat_cannot_be_held_by_another_cart_and_the_message_names_it(hall):
    session, seat_map = hall
    a = seat(seat_map, 1, 1)
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk])
    with pytest.raises(SeatUnavailable) as caught:
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk])
    assert "Партер, ряд 1, место 1" in str(caught.value.message)
    assert "уже занято" in str(caught.value.message)
    assert TicketType.objects.get(session=session, name_ru="VIP").quantity_taken == 1


def test_an_expired_hold_frees_the_seat_for_the_next_buyer(hall):
    session, seat_map = hall
    a = seat(seat_map, 2, 2)
    first = new_token()
    seats_hold(cart_token=first, session_id=session.pk, seat_ids=[a.pk])
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    second = new_token()
    assert seats_hold(cart_token=second, session_id=session.pk, seat_ids=[a.pk]) == [a.pk]
    assert SeatClaim.objects.get().reservation.cart.token == second
    assert TicketType.objects.get(session=session, name_ru="VIP").quantity_taken == 1


def test_releasing_a_seat_returns_it_and_its_ticket(hall):
    session, seat_map = hall
    token = new_token()
    a, b = seat(seat_map, 4, 1), seat(seat_map, 4, 2)
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=[a.pk, b.pk])
    assert seats_release(cart_token=token, session_id=session.pk, seat_ids=[a.pk]) == [b.pk]
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity_taken == 1
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk])


def test_blocked_seats_cannot_be_held_and_leave_the_counter(hall):
    session, seat_map = hall
    a = seat(seat_map, 1, 3)
    session_seats_block(session=session, seat_ids=[a.pk], reason="guests")
    assert TicketType.objects.get(session=session, name_ru="VIP").quantity == 19
    with pytest.raises(SeatUnavailable):
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk])


def test_seated_tickets_cannot_be_taken_as_a_bare_count(hall):
    session, _map = hall
    vip = TicketType.objects.get(session=session, name_ru="VIP")
    with pytest.raises(NotOnSale):
        cart_set_quantities(cart_token=new_token(), quantities={vip.pk: 2})


def test_at_most_ten_seats_per_order(hall):
    session, seat_map = hall
    row = list(seat_map.seats.filter(row="3").values_list("pk", flat=True))
    ids = [*row, seat(seat_map, 4, 1).pk]
    with pytest.raises(OrderLimitExceeded):
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=ids)
    assert not SeatClaim.objects.exists()


def test_refund_cancel_and_expiry_release_the_seat(hall):
    session, seat_map = hall
    a = seat(seat_map, 5, 5)

    def buy(pay: bool) -> Order:
        token = new_token()
        seats_hold(cart_token=token, session_id=session.pk, seat_ids=[a.pk])
        order = _checkout(token)
        return _pay(order) if pay else order

    paid = buy(pay=True)
    order_cancel(order_id=paid.pk, actor=Actor(label="organizer"))  # a paid order is refunded
    assert Order.objects.get(pk=paid.pk).status == Order.Status.REFUNDED
    assert not SeatClaim.objects.exists()

    pending = buy(pay=False)
    order_cancel(order_id=pending.pk, actor=Actor(label="buyer"))
    assert not SeatClaim.objects.exists()

    late = buy(pay=False)
    Order.objects.filter(pk=late.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))
    assert order_expire(order_id=late.pk)
    assert not SeatClaim.objects.exists()
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity_taken == 0

    # The late payment of the expired order takes the seat again while it is free...
    order_mark_paid(order_id=late.pk, actor=Actor(label="test"))
    assert SeatClaim.objects.get().order_item.order_id == late.pk
    # ...and nobody else can hold it now.
    with pytest.raises(SeatUnavailable):
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk])


def test_late_payment_of_an_expired_order_whose_seat_was_sold_is_refused(hall):
    session, seat_map = hall
    a = seat(seat_map, 5, 6)
    token = new_token()
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=[a.pk])
    late = _checkout(token)
    Order.objects.filter(pk=late.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))
    order_expire(order_id=late.pk)
    other = new_token()
    seats_hold(cart_token=other, session_id=session.pk, seat_ids=[a.pk])
    with pytest.raises(SoldOut):
        order_mark_paid(order_id=late.pk, actor=Actor(label="test"))
    assert Order.objects.get(pk=late.pk).status == Order.Status.EXPIRED
    assert OrderItem.objects.get(order=late).seat_label == "Партер, ряд 5, место 6"


def _paid_seats(session, seat_map, *places) -> Order:
    token = new_token()
    ids = [seat(seat_map, row, number).pk for row, number in places]
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=ids)
    return _pay(_checkout(token))


def test_the_attendee_export_has_a_seat_column(hall):
    from tickets.reports.services.exports import DEFAULT_COLUMNS, ExportSpec, attendee_table

    session, seat_map = hall
    _paid_seats(session, seat_map, (4, 7))
    table = attendee_table(
        ExportSpec(
            organizer=session.event.organizer,
            event=session.event,
            session=None,
            columns=DEFAULT_COLUMNS,
            question_ids=[],
            file_format="csv",
        )
    )
    assert "Место" in table.headers
    (row,) = table.rows
    assert "Партер, ряд 4, место 7" in row


def test_the_check_in_answer_names_the_seat(hall):
    from tickets.checkin.services import checkin_scan

    session, seat_map = hall
    order = _paid_seats(session, seat_map, (1, 9))
    item = order.items.get()
    answer = checkin_scan(organizer=session.event.organizer, event=session.event, code=item.secret)
    data = answer.as_json()
    assert data["result"] == "valid"
    assert data["ticket"]["seat"] == "Партер, ряд 1, место 9"
    assert "Партер, ряд 1, место 9" in data["message"]


def test_the_pdf_ticket_prints_the_seat(hall):
    import pypdfium2

    from tickets.delivery.services import render_order_pdf

    session, seat_map = hall
    order = _paid_seats(session, seat_map, (2, 3))
    document = pypdfium2.PdfDocument(render_order_pdf(order))
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert "Партер, ряд 2, место 3" in text


def test_checkout_is_refused_when_a_held_seat_was_lost(hall):
    from tickets.errors import ReservationExpired

    session, seat_map = hall
    token = new_token()
    ids = [seat(seat_map, 5, 1).pk, seat(seat_map, 5, 2).pk]
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=ids)
    SeatClaim.objects.filter(seat_id=ids[0]).delete()  # as if taken over after expiry
    with pytest.raises(ReservationExpired):
        _checkout(token)
    assert not Order.objects.exists()


def test_an_expired_hold_is_not_revived_by_choosing_another_seat(hall):
    session, seat_map = hall
    a, b = seat(seat_map, 3, 1), seat(seat_map, 3, 2)
    token = new_token()
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=[a.pk])
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert seats_hold(cart_token=token, session_id=session.pk, seat_ids=[b.pk]) == [b.pk]
    assert seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk]) == [a.pk]
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity_taken == 2


def test_the_confirmation_email_and_the_cabinet_order_name_the_seat(
    hall, client, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.urls import reverse

    from organizers.models import Membership
    from tests.factories import MembershipFactory

    session, seat_map = hall
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = _paid_seats(session, seat_map, (4, 4))
    (message,) = [m for m in mail.outbox if m.to == ["b@e.kz"]]
    assert "Партер, ряд 4, место 4" in message.body
    organizer = session.event.organizer
    client.force_login(MembershipFactory(organizer=organizer, role=Membership.Role.OWNER).user)
    page = client.get(reverse("tickets:cabinet_order", args=[organizer.slug, order.code]))
    assert "Партер, ряд 4, место 4" in page.content.decode()


def test_checkout_is_refused_when_every_held_seat_was_lost(hall):
    """The holds still say they are of a seated type: no seat left means no order."""
    from tickets.errors import ReservationExpired

    session, seat_map = hall
    token = new_token()
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=[seat(seat_map, 5, 3).pk])
    SeatClaim.objects.all().delete()  # as if taken over after expiry
    with pytest.raises(ReservationExpired):
        _checkout(token)
    assert not Order.objects.exists()


def test_a_held_seat_goes_to_the_ticket_even_when_its_type_no_longer_sells_by_seat(hall):
    from events.models import SessionSeatPrice

    session, seat_map = hall
    token = new_token()
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=[seat(seat_map, 4, 4).pk])
    SessionSeatPrice.objects.filter(ticket_type__session=session).delete()
    order = _checkout(token)
    assert list(order.items.values_list("seat_label", flat=True)) == ["Партер, ряд 4, место 4"]
    assert SeatClaim.objects.get().order_item.order == order


def test_checkout_of_counted_tickets_reads_nothing_about_seats(django_assert_num_queries):
    from tests.factories import TicketTypeFactory
    from tickets.seating.services import reservation_seat_flags, seats_attach_to_order

    ticket_type = TicketTypeFactory(quantity=5)
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={ticket_type.pk: 2})
    holds = list(Reservation.objects.annotate(**reservation_seat_flags()))
    items = [OrderItem(ticket_type=ticket_type, price=0, amount=0) for _n in range(2)]
    with django_assert_num_queries(0):
        seats_attach_to_order(items=items, reservations=holds)
    # holds read without the flags: the seats are looked for as before
    unflagged = list(Reservation.objects.all())
    with django_assert_num_queries(2):
        seats_attach_to_order(items=items, reservations=unflagged)

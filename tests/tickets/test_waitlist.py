"""The waiting list for a sold-out ticket type: joining with consent, an offer holding a ticket
for a while when tickets come back, the one-use link into the checkout, unused offers passing
on, and the organizer's list and manual offers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import TicketType
from organizers.models import Membership
from privacy.models import ConsentRecord
from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.delivery_helpers import paid_order
from tickets.models import Reservation, WaitlistEntry
from tickets.services.order_lifecycle import order_cancel
from tickets.services.order_states import Actor
from tickets.waitlist.services import waitlist_join, waitlist_tick

pytestmark = pytest.mark.django_db

S = WaitlistEntry.Status
CONSENT = "Согласен"


@pytest.fixture
def tt():
    return TicketTypeFactory(price=Decimal("4000"), quantity=2)


@pytest.fixture
def sold_out(tt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(tt=tt, quantity=2)
    return order


def _taken(tt) -> int:
    return TicketType.objects.get(pk=tt.pk).quantity_taken


def _join(email: str, tt) -> WaitlistEntry:
    return waitlist_join(ticket_type_id=tt.pk, email=email, consent_wording=CONSENT)


def test_a_sold_out_type_offers_the_waiting_list_on_the_event_page(client, tt, sold_out):
    html = client.get(tt.session.event.get_absolute_url()).content.decode()
    assert reverse("tickets:waitlist_join", args=[tt.pk]) in html


def test_joining_records_the_consent(client, tt, sold_out):
    url = reverse("tickets:waitlist_join", args=[tt.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "Wait@Example.kz", "consent": "on"})
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.email, entry.status) == ("wait@example.kz", S.WAITING)
    assert ConsentRecord.objects.filter(
        email="wait@example.kz", source=f"waitlist:{entry.pk}"
    ).exists()
    # joining again changes nothing
    client.post(url, {"email": "wait@example.kz", "consent": "on"})
    assert WaitlistEntry.objects.count() == 1


def test_joining_needs_consent_and_a_sold_out_type(client, tt):
    url = reverse("tickets:waitlist_join", args=[tt.pk])
    assert client.post(url, {"email": "a@example.kz"}).status_code == 400
    response = client.post(url, {"email": "a@example.kz", "consent": "on"})
    assert response.status_code == 400 and "можно купить сейчас" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_a_blocked_email_cannot_join(tt, sold_out):
    from tickets.errors import TicketsError

    make_blocked(staff=UserFactory(is_staff=True), email="blocked@example.kz")
    with pytest.raises(TicketsError):
        _join("blocked@example.kz", tt)
    assert not WaitlistEntry.objects.exists()


def test_a_refund_offers_the_ticket_to_the_first_in_line(
    tt, sold_out, django_capture_on_commit_callbacks, mailoutbox
):
    first, second = _join("first@example.kz", tt), _join("second@example.kz", tt)
    mailoutbox.clear()
    item = sold_out.items.first()
    from tickets.services.order_refunds import order_refund

    with django_capture_on_commit_callbacks(execute=True):
        order_refund(order_id=sold_out.pk, actor=Actor(), item_ids=[item.pk])

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.OFFERED, S.WAITING)
    assert first.offer_expires_at - first.offered_at == timedelta(hours=2)
    assert _taken(tt) == 2  # the returned ticket is held by the offer, not on open sale
    (offer_mail,) = [m for m in mailoutbox if m.to == ["first@example.kz"]]
    assert reverse("tickets:waitlist_offer", args=[first.offer_token]) in offer_mail.body


def test_the_offer_link_takes_the_ticket_into_the_checkout_once(client, tt, sold_out):
    entry = _join("first@example.kz", tt)
    order_cancel(order_id=sold_out.pk, actor=Actor(label="organizer"))
    entry.refresh_from_db()
    assert entry.status == S.OFFERED
    url = reverse("tickets:waitlist_offer", args=[entry.offer_token])
    assert 'data-testid="offer-valid"' in client.get(url).content.decode()

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == reverse("tickets:checkout")
    entry.refresh_from_db()
    assert entry.status == S.USED
    hold = Reservation.objects.get(ticket_type=tt, released_at__isnull=True, order__isnull=True)
    assert hold.quantity == 1
    checkout = client.get(reverse("tickets:checkout"))
    assert checkout.status_code == 200 and "4\u00a0000\u00a0₸" in checkout.content.decode()
    # the ticket was not taken twice: one offer hold became one cart hold
    assert _taken(tt) == 1  # one ticket back on sale (two refunded, one held)
    again = client.get(url)
    assert again.status_code == 410 and 'data-testid="offer-gone"' in again.content.decode()
    client.post(url)
    assert Reservation.objects.filter(ticket_type=tt, order__isnull=True).count() == 1


def test_an_unused_offer_passes_to_the_next_person_then_back_on_sale(tt, sold_out):
    first, second = _join("first@example.kz", tt), _join("second@example.kz", tt)
    order_cancel(order_id=sold_out.pk, actor=Actor(label="organizer"))  # two tickets back
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.OFFERED, S.OFFERED)
    third = _join("third@example.kz", tt)
    later = timezone.now() + timedelta(hours=3)

    waitlist_tick(now=later)

    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, second.status, third.status) == (S.EXPIRED, S.EXPIRED, S.OFFERED)
    assert _taken(tt) == 1  # the third person's offer holds one; the other is on sale again
    waitlist_tick(now=later + timedelta(hours=3))
    assert _taken(tt) == 0  # nobody left waiting: both tickets on open sale again


def test_the_periodic_duty_offers_capacity_the_organizer_added(tt, sold_out):
    entry = _join("first@example.kz", tt)
    TicketType.objects.filter(pk=tt.pk).update(quantity=3)
    assert waitlist_tick() == 1
    entry.refresh_from_db()
    assert entry.status == S.OFFERED and _taken(tt) == 3


def test_leaving_with_an_offer_passes_the_ticket_on(client, tt, sold_out):
    first, second = _join("first@example.kz", tt), _join("second@example.kz", tt)
    TicketType.objects.filter(pk=tt.pk).update(quantity=3)
    waitlist_tick()
    url = reverse("tickets:waitlist_leave", args=[first.offer_token])
    assert client.get(url).status_code == 200
    client.post(url)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.LEFT, S.OFFERED)


def test_the_organizer_sees_the_list_masked_and_sends_offers_by_hand(client, tt, sold_out):
    _join("first@example.kz", tt)
    _join("blocked@example.kz", tt)
    make_blocked(staff=UserFactory(is_staff=True), email="blocked@example.kz")
    event = tt.session.event
    manager = MembershipFactory(organizer=event.organizer, role=Membership.Role.MANAGER).user
    client.force_login(manager)
    url = reverse("tickets:cabinet_waitlist", args=[event.organizer.slug, event.slug])
    html = client.get(url).content.decode()
    assert "first@example.kz" in html and "blocked@example.kz" not in html

    TicketType.objects.filter(pk=tt.pk).update(quantity=3)
    send = reverse("tickets:cabinet_waitlist_offer", args=[event.organizer.slug, event.slug, tt.pk])
    client.post(send)

    assert WaitlistEntry.objects.get(email="first@example.kz").status == S.OFFERED
    other = MembershipFactory(role=Membership.Role.OWNER)
    client.force_login(other.user)
    assert client.get(url.replace(event.organizer.slug, other.organizer.slug)).status_code == 404


def test_capacity_the_organizer_adds_is_offered_at_once_through_the_outbox(
    tt, sold_out, django_capture_on_commit_callbacks, mailoutbox
):
    from events.services import ticket_type_update
    from eventum.models import OutboxMessage

    first, second = _join("first@example.kz", tt), _join("second@example.kz", tt)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_type_update(ticket_type=TicketType.objects.get(pk=tt.pk), data={"quantity": 3})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.OFFERED, S.WAITING) and _taken(tt) == 3
    assert [m.to for m in mailoutbox] == [["first@example.kz"]]
    (message,) = OutboxMessage.objects.filter(task_name__endswith="waitlist_offer_for_types_task")
    assert message.args == [[tt.pk]]


def test_capacity_added_with_nobody_waiting_or_kept_sends_nothing(
    tt, sold_out, django_capture_on_commit_callbacks
):
    from events.services import ticket_type_update
    from eventum.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        ticket_type_update(ticket_type=TicketType.objects.get(pk=tt.pk), data={"quantity": 3})
        ticket_type_update(ticket_type=TicketType.objects.get(pk=tt.pk), data={"quantity": 2})
    _join("first@example.kz", tt)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_type_update(ticket_type=TicketType.objects.get(pk=tt.pk), data={"quantity": 2})
    assert not OutboxMessage.objects.filter(task_name__endswith="waitlist_offer_for_types_task")

"""The buyer returns tickets from the order page under the event's refund rules: the amount is
shown before confirming, the money goes back through the provider at once (or waits for the
organizer's approval), the QR code stops working, the tickets go back on sale and both sides
get an e-mail. After the deadline the return is refused with the rule quoted."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from events.models import TicketType
from organizers.models import Membership
from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.delivery_helpers import paid_order
from tickets.checkin.services import CheckInResult, checkin_scan
from tickets.errors import RefundError
from tickets.models import Order, OrderItem, Refund, RefundPolicy, RefundRequest
from tickets.payments.provider_test import ProviderForTesting
from tickets.qr import qr_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def tt():
    ticket_type = TicketTypeFactory(price=Decimal("10000"), quantity=10)
    ticket_type.session.event.organizer.email = "org@example.kz"
    ticket_type.session.event.organizer.save(update_fields=["email"])
    return ticket_type


@pytest.fixture
def order(tt, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        paid = paid_order(tt=tt, quantity=2)
    mailoutbox.clear()
    return paid


def _page_url(order) -> str:
    return reverse("tickets:order_refund", args=[order.code]) + f"?s={order.secret}"


def _confirm_data(html: str) -> dict:
    form = html.split('data-testid="refund-confirm"')[1]
    return {
        "s": re.search(r'name="s" value="([^"]+)"', form).group(1),
        "expected": re.search(r'name="expected" value="([^"]+)"', form).group(1),
        "item": re.findall(r'name="item" value="(\d+)"', form),
    }


def _taken(tt) -> int:
    return TicketType.objects.get(pk=tt.pk).quantity_taken


def test_buyer_returns_one_ticket_and_the_fee_is_kept(
    client, tt, order, django_capture_on_commit_callbacks, mailoutbox
):
    RefundPolicy.objects.create(event=tt.session.event, fee_kind="percent", fee_value=10)
    first, second = order.items.order_by("id")
    old_code = qr_payload(first)
    page = client.get(_page_url(order) + f"&item={first.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "9\u00a0000\u00a0₸" in html.split('data-testid="refund-amount"')[1][:80]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page_url(order), _confirm_data(html))

    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (OrderItem.Status.REFUNDED, OrderItem.Status.VALID)
    refund = Refund.objects.get(order=order)
    assert refund.amount == Decimal("9000.00") and refund.provider_refund_id
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.refunded_amount == Decimal("9000.00")
    assert _taken(tt) == 1  # back on sale
    answer = checkin_scan(
        organizer=tt.session.event.organizer, event=tt.session.event, code=old_code
    )
    assert answer.result == CheckInResult.CANCELLED
    to_buyer = next(m for m in mailoutbox if m.to == ["buyer@example.kz"])
    to_organizer = next(m for m in mailoutbox if m.to == ["org@example.kz"])
    assert "9\u00a0000\u00a0₸" in to_buyer.body and order.code in to_buyer.subject
    assert order.code in to_organizer.body
    for personal in ("Иван", "Иванов", "buyer@example.kz", "+7701"):
        assert personal not in to_organizer.body


def test_buyer_returns_the_whole_order(client, tt, order):
    html = client.get(_page_url(order)).content.decode()
    assert "20\u00a0000\u00a0₸" in html.split('data-testid="refund-amount"')[1][:80]
    client.post(_page_url(order), _confirm_data(html))
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.refunded_amount == Decimal("20000.00")
    assert _taken(tt) == 0


def test_after_the_deadline_the_return_is_refused_quoting_the_rule(client, tt, order):
    html = client.get(_page_url(order)).content.decode()
    data = _confirm_data(html)
    session = tt.session
    session.starts_at = session.starts_at.__class__.now(tz=session.starts_at.tzinfo) + timedelta(
        hours=5
    )
    session.save(update_fields=["starts_at"])

    page = client.get(_page_url(order)).content.decode()
    assert 'data-testid="refund-refused"' in page and "до 2 дней" in page
    assert 'data-testid="refund-confirm"' not in page
    response = client.post(_page_url(order), data, follow=True)

    text = response.content.decode()
    assert "Время возврата этого билета прошло" in text and "до 2 дней" in text
    assert not Refund.objects.exists()
    assert set(order.items.values_list("status", flat=True)) == {OrderItem.Status.VALID}


def test_a_changed_amount_is_not_refunded(client, tt, order):
    html = client.get(_page_url(order)).content.decode()
    data = _confirm_data(html)
    RefundPolicy.objects.create(event=tt.session.event, fee_kind="fixed", fee_value=1000)
    response = client.post(_page_url(order), data, follow=True)
    assert "изменилась" in response.content.decode()
    assert not Refund.objects.exists()


def test_a_provider_refusal_changes_nothing(client, tt, order, monkeypatch):
    def refuse(self, *, payment, amount):
        raise RefundError("declined by the bank")

    monkeypatch.setattr(ProviderForTesting, "refund", refuse)
    html = client.get(_page_url(order)).content.decode()
    response = client.post(_page_url(order), _confirm_data(html), follow=True)
    assert "declined by the bank" in response.content.decode()
    assert set(order.items.values_list("status", flat=True)) == {OrderItem.Status.VALID}
    assert _taken(tt) == 2


def test_someone_without_the_link_cannot_return_tickets(client, order):
    url = reverse("tickets:order_refund", args=[order.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"expected": "x"}).status_code == 404
    assert not Refund.objects.exists()


def test_order_page_links_to_the_return(client, order):
    html = client.get(order.get_absolute_url()).content.decode()
    assert reverse("tickets:order_refund", args=[order.code]) in html


@pytest.fixture
def approving(tt):
    return RefundPolicy.objects.create(event=tt.session.event, needs_approval=True)


def _manager_client(client, tt):
    manager = MembershipFactory(
        organizer=tt.session.event.organizer, role=Membership.Role.MANAGER
    ).user
    client.force_login(manager)
    return client


def test_with_approval_the_request_waits_and_the_organizer_approves(
    client, tt, order, approving, django_capture_on_commit_callbacks, mailoutbox
):
    html = client.get(_page_url(order)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page_url(order), _confirm_data(html))
    request = RefundRequest.objects.get(order=order)
    assert request.status == RefundRequest.Status.PENDING and request.amount == 20000
    assert set(order.items.values_list("status", flat=True)) == {OrderItem.Status.VALID}
    assert {tuple(m.to) for m in mailoutbox} == {("buyer@example.kz",), ("org@example.kz",)}
    assert 'data-testid="refund-waiting"' in client.get(_page_url(order)).content.decode()
    mailoutbox.clear()

    staff = _manager_client(client, tt)
    queue_url = reverse("tickets:cabinet_refund_requests", args=[tt.session.event.organizer.slug])
    queue = staff.get(queue_url).content.decode()
    assert order.code in queue and "Иванов Иван" in queue
    decide = reverse(
        "tickets:cabinet_refund_request_decide",
        args=[tt.session.event.organizer.slug, request.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(decide, {"decision": "approve"})

    request.refresh_from_db()
    assert request.status == RefundRequest.Status.APPROVED and request.refund is not None
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and _taken(tt) == 0
    (message,) = mailoutbox
    assert message.to == ["buyer@example.kz"] and "20\u00a0000\u00a0₸" in message.body


def test_the_organizer_refuses_and_the_tickets_stay_valid(
    client, tt, order, approving, django_capture_on_commit_callbacks, mailoutbox
):
    html = client.get(_page_url(order)).content.decode()
    client.post(_page_url(order), _confirm_data(html))
    request = RefundRequest.objects.get(order=order)
    staff = _manager_client(client, tt)
    decide = reverse(
        "tickets:cabinet_refund_request_decide",
        args=[tt.session.event.organizer.slug, request.pk],
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(decide, {"decision": "refuse", "note": "Билеты именные"})
    request.refresh_from_db()
    assert request.status == RefundRequest.Status.REFUSED
    assert set(order.items.values_list("status", flat=True)) == {OrderItem.Status.VALID}
    (message,) = mailoutbox
    assert "Билеты именные" in message.body
    # decided once: a second decision changes nothing
    staff.post(decide, {"decision": "approve"})
    assert not Refund.objects.exists()


def test_the_queue_masks_a_blocked_buyer_and_other_organizers_see_nothing(
    client, tt, order, approving
):
    html = client.get(_page_url(order)).content.decode()
    client.post(_page_url(order), _confirm_data(html))
    make_blocked(staff=UserFactory(is_staff=True), email="buyer@example.kz")
    staff = _manager_client(client, tt)
    queue = staff.get(
        reverse("tickets:cabinet_refund_requests", args=[tt.session.event.organizer.slug])
    ).content.decode()
    assert order.code in queue
    assert "Иванов" not in queue and "buyer@example.kz" not in queue

    other = MembershipFactory(role=Membership.Role.OWNER)
    client.force_login(other.user)
    request = RefundRequest.objects.get(order=order)
    decide = reverse(
        "tickets:cabinet_refund_request_decide", args=[other.organizer.slug, request.pk]
    )
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == RefundRequest.Status.PENDING


def test_the_queue_reads_a_bounded_number_of_queries(
    client, tt, approving, django_assert_max_num_queries
):
    for n in range(4):
        paid = paid_order(tt=tt, quantity=1, email=f"b{n}@example.kz")
        RefundRequest.objects.create(order=paid, amount=10000).items.set(paid.items.all())
    staff = _manager_client(client, tt)
    url = reverse("tickets:cabinet_refund_requests", args=[tt.session.event.organizer.slug])
    with django_assert_max_num_queries(25):
        page = staff.get(url)
    assert page.content.decode().count('data-testid="refund-request"') == 4


def test_the_cabinet_history_names_the_buyers_return_in_russian(client, tt, order):
    html = client.get(_page_url(order) + f"&item={order.items.first().pk}").content.decode()
    client.post(_page_url(order), _confirm_data(html))
    staff = _manager_client(client, tt)
    page = staff.get(
        reverse("tickets:cabinet_order", args=[tt.session.event.organizer.slug, order.code])
    ).content.decode()
    assert "возвращён покупателем по правилам возврата" in page
    assert "returned by the buyer" not in page


def _scan(tt, item):
    organizer, event = tt.session.event.organizer, tt.session.event
    return checkin_scan(organizer=organizer, event=event, code=qr_payload(item))


def test_a_ticket_waiting_for_the_organizers_approval_does_not_admit(client, tt, order, approving):
    returned, kept = order.items.order_by("id")
    html = client.get(_page_url(order) + f"&item={returned.pk}").content.decode()
    client.post(_page_url(order), _confirm_data(html))
    request = RefundRequest.objects.get(order=order, status=RefundRequest.Status.PENDING)

    answer = _scan(tt, returned)
    assert answer.result == CheckInResult.CANCELLED and not answer.ok
    assert "организатор" in answer.message
    returned.refresh_from_db()
    assert returned.checked_in_at is None
    assert _scan(tt, kept).result == CheckInResult.VALID  # the ticket not asked back admits

    staff = _manager_client(client, tt)
    decide = reverse(
        "tickets:cabinet_refund_request_decide",
        args=[tt.session.event.organizer.slug, request.pk],
    )
    staff.post(decide, {"decision": "refuse", "note": "Билеты именные"})
    assert _scan(tt, returned).result == CheckInResult.VALID  # refused: the ticket is the buyer's


@pytest.mark.parametrize(
    ("language", "subject_starts", "body_has"),
    [
        ("kk", "Билеттер қайтарылды", "қайтару ережелеріңіз бойынша"),
        ("en", "Tickets returned", "under your refund rules"),
        ("ru", "Билеты возвращены", "по вашим правилам возврата"),
    ],
)
def test_the_organizers_refund_email_is_in_the_organizers_language(
    client,
    tt,
    order,
    django_capture_on_commit_callbacks,
    mailoutbox,
    language,
    subject_starts,
    body_has,
):
    organizer = tt.session.event.organizer
    organizer.language = language
    organizer.save(update_fields=["language"])
    html = client.get(_page_url(order)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page_url(order), _confirm_data(html))
    to_organizer = next(m for m in mailoutbox if m.to == ["org@example.kz"])
    assert to_organizer.subject.startswith(subject_starts), to_organizer.subject
    assert body_has in to_organizer.body
    to_buyer = next(m for m in mailoutbox if m.to == ["buyer@example.kz"])
    assert to_buyer.subject.startswith("Заказ")  # the buyer's own language stays

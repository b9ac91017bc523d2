"""Honest statuses: every state of an order and its tickets reads the same on the buyer's page,
their list, the cabinet, the widget, the PDF ticket and the e-mails, in ru, kk and en."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.tickets.delivery_helpers import paid_order
from tests.tickets.flows import place_order
from tickets.delivery.pdf import render_tickets_pdf
from tickets.delivery.services import ticket_prints
from tickets.models import Order, OrderItem
from tickets.order_status import order_status, ticket_status
from tickets.payments.services import payment_complete, payment_start
from tickets.services.order_lifecycle import order_cancel, order_expire
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def _tt(price="5000"):
    return TicketTypeFactory(price=Decimal(price), quantity=20)


def _pending(user=None):
    return place_order({_tt(): 2}, user=user)


def _declined(user=None):
    order = _pending(user)
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(payment_id=payment.pk, succeeded=False, actor=Actor())
    return order


def _paid(user=None):
    return paid_order(_tt(), quantity=2, user=user)


def _free(user=None):
    return place_order({_tt("0"): 2}, user=user)


def _partly_refunded(user=None):
    order = _paid(user)
    first = order.items.order_by("id").first()
    order_refund(order_id=order.pk, actor=Actor(label="organizer"), item_ids=[first.pk])
    return order


def _refunded(user=None):
    order = _paid(user)
    order_refund(order_id=order.pk, actor=Actor(label="organizer"))
    return order


def _cancelled(user=None):
    order = _pending(user)
    order_cancel(order_id=order.pk, actor=Actor(label="buyer"))
    return order


def _expired(user=None):
    order = _pending(user)
    order_expire(order_id=order.pk, now=timezone.now() + timedelta(hours=2))
    return order


def _used(user=None):
    order = _paid(user)
    OrderItem.objects.filter(order=order).update(checked_in_at=timezone.now())
    return order


# state → (order key, ru order label, ru labels of its two tickets)
STATES = {
    "pending": (_pending, "pending", "Ожидает оплаты", ["Ещё не оплачен"] * 2),
    "declined": (_declined, "declined", "Оплата отклонена", ["Ещё не оплачен"] * 2),
    "paid": (_paid, "paid", "Оплачен", ["Действителен"] * 2),
    "free": (_free, "free", "Бесплатный, подтверждён", ["Действителен"] * 2),
    "partly": (
        _partly_refunded,
        "partly_refunded",
        "Частично возвращён",
        ["Возвращён", "Действителен"],
    ),
    "refunded": (_refunded, "refunded", "Возвращён", ["Возвращён"] * 2),
    "cancelled": (_cancelled, "cancelled", "Отменён", ["Отменён"] * 2),
    "expired": (_expired, "expired", "Не оплачен вовремя", ["Не выдан"] * 2),
    "used": (_used, "paid", "Оплачен", ["Использован на входе"] * 2),
}


def _fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def _badges(html: str) -> list[str]:
    """The words of every status badge on a page, in order."""
    parts = html.split('class="badge badge-')[1:]
    return [part.split(">", 1)[1].split("</span>", 1)[0] for part in parts]


@pytest.mark.parametrize("state", STATES)
def test_every_state_reads_honestly_on_the_buyers_order_page(client, state):
    build, key, label, ticket_labels = STATES[state]
    order = _fresh(build())
    assert order_status(order).key == key
    html = client.get(order.get_absolute_url()).content.decode()
    assert f'data-status="{key}" data-testid="order-status">{label}</span>' in html
    assert _badges(html) == [label, *ticket_labels]
    if state != "paid" and state != "used":  # only a paid order is called paid
        assert ">Оплачен<" not in html
    if ticket_labels[-1] != "Действителен":
        assert "Действителен" not in html
    assert str(order_status(order).explanation) in html


@pytest.mark.parametrize(
    ("language", "declined", "unpaid"),
    [("kk", "Төлем қабылданбады", "Әлі төленбеген"), ("en", "Payment declined", "Not paid yet")],
)
def test_statuses_are_translated(client, language, declined, unpaid):
    order = _declined()
    url = f"/{language}{order.get_absolute_url()}"
    html = client.get(url).content.decode()
    assert _badges(html) == [declined, unpaid, unpaid]


def test_buyers_list_and_cabinet_list_name_the_same_status(client, django_assert_max_num_queries):
    user = UserFactory()
    orders = {state: _fresh(STATES[state][0](user)) for state in ("declined", "free", "partly")}
    client.force_login(user)
    with django_assert_max_num_queries(12):  # no query per row for the declined payment
        html = client.get(reverse("tickets:my_orders")).content.decode()
    assert sorted(_badges(html)) == sorted(
        ["Оплата отклонена", "Бесплатный, подтверждён", "Частично возвращён"]
    )

    organizer = orders["declined"].event.organizer
    manager = MembershipFactory(organizer=organizer, role="manager").user
    client.force_login(manager)
    html = client.get(reverse("tickets:cabinet_orders", args=[organizer.slug])).content.decode()
    assert _badges(html) == ["Оплата отклонена"]
    detail = client.get(
        reverse("tickets:cabinet_order", args=[organizer.slug, orders["declined"].code])
    ).content.decode()
    assert _badges(detail) == ["Оплата отклонена", "Ещё не оплачен", "Ещё не оплачен"]


def test_order_page_column_of_amounts_is_not_called_paid_for_an_unpaid_order(client):
    order = _pending()
    html = client.get(order.get_absolute_url()).content.decode()
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert "Оплачен" not in head and "Сумма" in head


def test_pdf_ticket_prints_the_ticket_status_in_the_buyers_language():
    order = _fresh(_free())
    order.language = "kk"
    items = list(order.items.select_related("ticket_type__session"))
    prints = ticket_prints(order, items)
    assert {p.status_label for p in prints} == {"Жарамды"}
    pdf = render_tickets_pdf(prints[:1], language="kk")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Жарамды" in text
    with translation.override("kk"):
        assert str(ticket_status(items[0], order)) == "Жарамды"


def test_emails_state_the_order_and_ticket_statuses(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = _free()
    confirmation = mailoutbox[-1]
    assert "Статус заказа: Бесплатный, подтверждён." in confirmation.body
    assert confirmation.body.count("— Действителен") == 2

    order = _paid()
    first = order.items.order_by("id").first()
    with django_capture_on_commit_callbacks(execute=True):
        order_refund(
            order_id=order.pk,
            actor=Actor(label="organizer"),
            item_ids=[first.pk],
            notify_buyer=True,
        )
    changed = mailoutbox[-1]
    assert "Статус заказа: Частично возвращён." in changed.body
    assert "— Возвращён" in changed.body and "— Действителен" in changed.body
    html = changed.alternatives[0][0]
    assert "<strong>Частично возвращён</strong>" in html


def _transferred(user=None):
    from tickets.models import TransferRules
    from tickets.transfers.services import ticket_transfer

    order = _paid(user)
    TransferRules.objects.create(event=order.event, allowed=True, cutoff_hours=0)
    first = order.items.order_by("id").first()
    ticket_transfer(
        order_id=order.pk,
        item_id=first.pk,
        to_name="Айгерим Сапарова",
        to_email="aigerim@example.kz",
        consent_wording="согласие",
    )
    return order


def test_a_transferred_ticket_says_so_to_the_buyer_the_organizer_and_not_on_the_ticket(client):
    order = _fresh(_transferred())
    html = client.get(order.get_absolute_url()).content.decode()
    assert _badges(html) == ["Оплачен", "Передан: Айгерим Сапарова", "Действителен"]
    organizer = order.event.organizer
    client.force_login(MembershipFactory(organizer=organizer, role="manager").user)
    detail = client.get(reverse("tickets:cabinet_order", args=[organizer.slug, order.code]))
    assert _badges(detail.content.decode())[1] == "Передан другому человеку"
    client.logout()
    en = client.get(f"/en{order.get_absolute_url()}").content.decode()
    assert _badges(en)[1] == "Transferred to Айгерим Сапарова"

    items = list(order.items.select_related("ticket_type__session").order_by("id"))
    assert [p.status_label for p in ticket_prints(order, items)] == ["Действителен"] * 2

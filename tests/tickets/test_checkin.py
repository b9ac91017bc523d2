"""Check-in at the door: every answer, one atomic decision, only the organizer's own staff."""

import pytest
from django.urls import reverse

from organizers.models import Membership
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order, staff_of
from tests.tickets.flows import place_order
from tickets.checkin.services import checkin_counters, checkin_scan
from tickets.models import CheckIn, OrderItem
from tickets.qr import qr_payload
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return paid_order(quantity=2)


@pytest.fixture
def organizer(order):
    return order.event.organizer


@pytest.fixture
def scanner_client(client, organizer):
    user = staff_of(organizer)
    client.force_login(user)
    client.user = user
    return client


def _scan(client, order, code, session=None):
    url = reverse("tickets:checkin_scan", args=[order.event.organizer.slug, order.event.slug])
    data = {"code": code}
    if session is not None:
        data["session"] = session.pk
    return client.post(url, data)


def test_first_scan_is_valid_second_says_when_and_by_whom(scanner_client, order):
    item = order.items.first()

    first = _scan(scanner_client, order, qr_payload(item))
    second = _scan(scanner_client, order, qr_payload(item))

    assert first.status_code == 200
    assert first.json()["result"] == "valid"
    assert first.json()["headline"] == "Действителен — проходите"
    assert first.json()["ticket"]["number"] == f"{order.code}-{item.pk}"
    assert second.json()["result"] == "used"
    check_in = CheckIn.objects.get(item=item)
    assert check_in.by_user == scanner_client.user
    assert second.json()["checked_in_by"] == check_in.scanner_label
    assert second.json()["checked_in_at"] == check_in.checked_in_at.isoformat()
    assert "уже использован" in second.json()["message"]
    item.refresh_from_db()
    assert item.checked_in_at == check_in.checked_in_at


def test_secret_without_prefix_typed_by_hand_is_accepted(scanner_client, order):
    item = order.items.first()

    response = _scan(scanner_client, order, f"  {item.secret} ")

    assert response.json()["result"] == "valid"


def test_refunded_ticket_is_cancelled(scanner_client, order):
    item = order.items.first()
    order_refund(order_id=order.pk, actor=Actor(label="organizer"), item_ids=[item.pk])

    response = _scan(scanner_client, order, qr_payload(item))

    assert response.json()["result"] == "cancelled"
    assert not CheckIn.objects.exists()


def test_unpaid_order_is_not_let_in(scanner_client, organizer):
    tt = TicketTypeFactory(session__event__organizer=organizer)
    pending = place_order({tt: 1})
    item = pending.items.get()

    response = _scan(scanner_client, pending, qr_payload(item))

    assert response.json()["result"] == "cancelled"
    assert OrderItem.objects.get(pk=item.pk).checked_in_at is None


def test_ticket_of_another_event_or_session_is_wrong_event(scanner_client, order, organizer):
    item = order.items.first()
    other_event = EventFactory(organizer=organizer)
    url = reverse("tickets:checkin_scan", args=[organizer.slug, other_event.slug])

    wrong_event = scanner_client.post(url, {"code": qr_payload(item)})
    other_session = SessionFactory(event=order.event)
    wrong_session = _scan(scanner_client, order, qr_payload(item), session=other_session)

    assert wrong_event.json()["result"] == "wrong_event"
    assert "ticket" not in wrong_event.json()
    assert wrong_session.json()["result"] == "wrong_event"
    assert not CheckIn.objects.exists()
    right_session = _scan(scanner_client, order, qr_payload(item), session=item.ticket_type.session)
    assert right_session.json()["result"] == "valid"


def test_unknown_code_and_empty_code(scanner_client, order):
    unknown = _scan(scanner_client, order, "EVT1:not-a-ticket")
    empty = _scan(scanner_client, order, "   ")

    assert unknown.json()["result"] == "unknown"
    assert unknown.json()["headline"] == "Неизвестный билет"
    assert empty.status_code == 400
    assert empty.json()["message"] == "Отсканируйте QR-код или введите код билета."


def test_another_organizers_ticket_is_unknown_and_reveals_nothing(scanner_client, order):
    stranger = paid_order(quantity=1)

    response = _scan(scanner_client, order, qr_payload(stranger.items.get()))

    assert response.json()["result"] == "unknown"
    assert "ticket" not in response.json()
    assert stranger.code not in response.content.decode()
    assert not CheckIn.objects.exists()


def test_checkin_staff_of_another_organizer_gets_404(client, order):
    stranger_staff = staff_of(paid_order(quantity=1).event.organizer)
    client.force_login(stranger_staff)

    scan = _scan(client, order, qr_payload(order.items.first()))
    page = client.get(
        reverse("tickets:checkin_scanner", args=[order.event.organizer.slug, order.event.slug])
    )

    assert scan.status_code == 404
    assert page.status_code == 404
    assert not CheckIn.objects.exists()


def test_checkin_staff_reach_only_the_scanner(scanner_client, order, organizer):
    assert (
        scanner_client.get(reverse("tickets:checkin_events", args=[organizer.slug])).status_code
        == 200
    )
    assert (
        scanner_client.get(reverse("tickets:cabinet_orders", args=[organizer.slug])).status_code
        == 403
    )
    assert (
        scanner_client.get(
            reverse("tickets:cabinet_order", args=[organizer.slug, order.code])
        ).status_code
        == 403
    )
    assert (
        scanner_client.get(reverse("tickets:scanner_devices", args=[organizer.slug])).status_code
        == 403
    )


def test_anonymous_scan_goes_to_login(client, order):
    response = _scan(client, order, qr_payload(order.items.first()))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not CheckIn.objects.exists()


def test_scanner_page_shows_the_camera_manual_field_and_counters(scanner_client, order):
    _scan(scanner_client, order, qr_payload(order.items.first()))
    url = reverse("tickets:checkin_scanner", args=[order.event.organizer.slug, order.event.slug])

    html = scanner_client.get(url).content.decode()

    assert 'name="code"' in html
    assert "tickets/scanner.js" in html
    assert "<script>" not in html.split("</head>")[1] or "onclick" not in html
    assert "1 / 2" in html


def test_counters_count_checked_in_and_sold_per_session(scanner_client, order, organizer):
    session = order.items.first().ticket_type.session
    second = TicketTypeFactory(session=SessionFactory(event=order.event))
    paid_order(tt=second, quantity=3)
    checkin_scan(organizer=organizer, event=order.event, code=order.items.first().secret)

    rows = {
        row.session.pk: (row.checked_in, row.sold) for row in checkin_counters(event=order.event)
    }
    stats = scanner_client.get(
        reverse("tickets:checkin_stats", args=[organizer.slug, order.event.slug])
    ).json()

    assert rows == {session.pk: (1, 2), second.session.pk: (0, 3)}
    assert {(s["id"], s["checked_in"], s["sold"]) for s in stats["sessions"]} == {
        (session.pk, 1, 2),
        (second.session.pk, 0, 3),
    }


def test_scanning_faster_than_ten_a_second_gets_429(scanner_client, order, monkeypatch):
    monkeypatch.setattr("eventum.ratelimit._now", lambda: 1_000_000.0)
    codes = [_scan(scanner_client, order, "EVT1:unknown").status_code for _n in range(12)]

    assert codes[:10] == [200] * 10
    assert codes[10:] == [429, 429]
    response = _scan(scanner_client, order, "EVT1:unknown")
    assert response.json()["error"] == "rate_limited"
    assert "Слишком много" in response.json()["message"]


def test_manual_check_in_from_the_cabinet_uses_the_same_rule(client, order, organizer):
    client.force_login(staff_of(organizer, role=Membership.Role.MANAGER))
    item = order.items.first()
    url = reverse("tickets:cabinet_item_checkin", args=[organizer.slug, order.code, item.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert CheckIn.objects.filter(item=item).count() == 1
    assert "Добро пожаловать" in first.content.decode()
    assert "Уже использован" in second.content.decode()
    assert f'data-testid="entrance-{item.pk}">Прошёл' in second.content.decode()


def test_cabinet_front_page_links_checkin_staff_to_the_scanner(scanner_client, organizer):
    page = scanner_client.get(reverse("organizers:dashboard", args=[organizer.slug]))

    assert reverse("tickets:checkin_events", args=[organizer.slug]) in page.content.decode()


def test_event_choice_makes_few_queries(scanner_client, organizer, django_assert_max_num_queries):
    for _n in range(5):
        SessionFactory(event=EventFactory(organizer=organizer))

    with django_assert_max_num_queries(10):
        response = scanner_client.get(reverse("tickets:checkin_events", args=[organizer.slug]))

    assert response.content.decode().count("/checkin/event-") >= 6

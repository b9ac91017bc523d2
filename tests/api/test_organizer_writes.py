"""Organizers' systems write through the API: events, sessions and ticket types with the
cabinet's rules (``events:write``), refunds (``orders:refund``) and check-in v1 (``checkin``, or
a scanner device's token) with the semantics of the old check-in API."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Event, Session, TicketType
from organizers.services import api_key_create
from tests.factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    OrganizerFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
    VenueFactory,
)
from tests.privacy.conftest import make_blocked
from tests.tickets.flows import place_order
from tickets.checkin.services import scanner_device_create
from tickets.models import CheckIn, Order, OrderItem
from tickets.payments.services import payment_complete, payment_start
from tickets.qr import qr_payload
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db


def _key(organizer, *scopes):
    return api_key_create(organizer=organizer, label="CRM", scopes=list(scopes), created_by=None)


def _send(client, method, url, secret, body=None):
    return getattr(client, method)(
        url,
        json.dumps(body or {}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _paid(order):
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(
        payment_id=payment.pk, succeeded=True, transaction_id=f"t-{order.pk}", actor=Actor()
    )
    order.refresh_from_db()
    return order


@pytest.fixture
def organizer(db):
    return OrganizerFactory()


def _local(dt):
    return timezone.localtime(dt).replace(second=0, microsecond=0)


def test_an_event_session_and_ticket_type_are_made_and_changed_as_in_the_cabinet(client, organizer):
    secret = _key(organizer, "events:write").secret
    city, category = CityFactory(), CategoryFactory()
    made = _send(
        client,
        "post",
        "/api/v1/organizer/events",
        secret,
        {
            "title_ru": "Джаз в парке",
            "description_ru": "Вечер джаза.",
            "category": category.pk,
            "age_rating": "0+",
            "venue_name": "Парк Горького",
            "venue_city": city.pk,
            "venue_address": "ул. Гоголя, 1",
        },
    )
    assert made.status_code == 201, made.json()["details"]
    event = Event.objects.get(pk=made.json()["id"])
    assert event.organizer == organizer and event.status == "draft"
    assert event.venue.name_ru == "Парк Горького" and event.category == category
    starts = timezone.now() + timedelta(days=10)
    session = _send(
        client,
        "post",
        f"/api/v1/organizer/events/{event.pk}/sessions",
        secret,
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()},
    )
    assert session.status_code == 201, session.json()["details"]
    session_id = session.json()["session"]["id"]
    assert Session.objects.get(pk=session_id).starts_at == _local(starts)
    ticket_type = _send(
        client,
        "post",
        f"/api/v1/organizer/sessions/{session_id}/ticket-types",
        secret,
        {"name_ru": "Входной", "price": "3000", "quantity": 100, "max_per_order": 6},
    )
    assert ticket_type.status_code == 201, ticket_type.json()["details"]
    stored = TicketType.objects.get(pk=ticket_type.json()["ticket_type"]["id"])
    assert stored.price == Decimal("3000") and stored.quantity == 100
    assert stored.sale_ends_at == Session.objects.get(pk=session_id).starts_at
    changed = _send(
        client,
        "patch",
        f"/api/v1/organizer/ticket-types/{stored.pk}",
        secret,
        {"quantity": 150},
    )
    assert changed.status_code == 200, changed.content
    stored.refresh_from_db()
    assert stored.quantity == 150 and stored.price == Decimal("3000") and stored.name == "Входной"
    renamed = _send(
        client, "patch", f"/api/v1/organizer/events/{event.pk}", secret, {"title_en": "Park jazz"}
    )
    assert renamed.status_code == 200, renamed.content
    event.refresh_from_db()
    assert event.title_en == "Park jazz" and event.title_ru == "Джаз в парке"
    assert event.venue.name_ru == "Парк Горького"
    moved = starts + timedelta(days=1)
    response = _send(
        client,
        "patch",
        f"/api/v1/organizer/sessions/{session_id}",
        secret,
        {"starts_at": moved.isoformat(), "ends_at": (moved + timedelta(hours=2)).isoformat()},
    )
    assert response.status_code == 200, response.content
    assert Session.objects.get(pk=session_id).starts_at == _local(moved)


def test_the_cabinets_rules_refuse_with_the_field_and_message(client, organizer):
    secret = _key(organizer, "events:write").secret
    missing = _send(client, "post", "/api/v1/organizer/events", secret, {"title_ru": "Без места"})
    assert missing.status_code == 422
    fields = {d["loc"][-1] for d in missing.json()["details"]}
    assert {"venue_name", "venue_city", "venue_address"} <= fields
    event = EventFactory(organizer=organizer)
    past = _send(
        client,
        "post",
        f"/api/v1/organizer/events/{event.pk}/sessions",
        secret,
        {"starts_at": (timezone.now() - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 422
    (detail,) = past.json()["details"]
    assert detail["loc"] == ["body", "starts_at"]
    assert detail["msg"] == "Сеанс должен начинаться в будущем."
    ticket_type = TicketTypeFactory(session=SessionFactory(event=event), quantity=10)
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity_taken=5)
    lower = _send(
        client, "patch", f"/api/v1/organizer/ticket-types/{ticket_type.pk}", secret, {"quantity": 3}
    )
    assert lower.status_code == 422
    assert lower.json()["details"][0]["loc"] == ["body", "quantity"]
    assert TicketType.objects.get(pk=ticket_type.pk).quantity == 10


def test_writes_need_the_scope_and_touch_only_the_keys_organizer(client, organizer):
    reader = _key(organizer, "events:read").secret
    refused = _send(client, "post", "/api/v1/organizer/events", reader, {"title_ru": "X"})
    assert refused.status_code == 403 and refused.json()["error"] == "insufficient_scope"
    writer = _key(organizer, "events:write").secret
    strangers = EventFactory(organizer=OrganizerFactory())
    session = SessionFactory(event=strangers)
    ticket_type = TicketTypeFactory(session=session)
    for method, url in (
        ("patch", f"/api/v1/organizer/events/{strangers.pk}"),
        ("post", f"/api/v1/organizer/events/{strangers.pk}/sessions"),
        ("patch", f"/api/v1/organizer/sessions/{session.pk}"),
        ("post", f"/api/v1/organizer/sessions/{session.pk}/ticket-types"),
        ("patch", f"/api/v1/organizer/ticket-types/{ticket_type.pk}"),
    ):
        assert _send(client, method, url, writer, {"title_ru": "Чужое"}).status_code == 404, url
    # A venue of another organizer cannot be chosen either.
    other_venue = VenueFactory(organizer=strangers.organizer)
    chosen = _send(
        client,
        "post",
        "/api/v1/organizer/events",
        writer,
        {"title_ru": "Моё", "category": CategoryFactory().pk, "venue": other_venue.pk},
    )
    assert chosen.status_code == 422
    assert not Event.objects.filter(title_ru="Моё").exists()


# Refunds -------------------------------------------------------------------------------------


@pytest.fixture
def sale(organizer, policy):
    event = EventFactory(organizer=organizer)
    ticket_type = TicketTypeFactory(
        session=SessionFactory(event=event), price=Decimal("5000"), quantity=20
    )
    return {"event": event, "ticket_type": ticket_type}


def test_a_key_refunds_chosen_tickets_then_the_rest(
    client, organizer, sale, django_capture_on_commit_callbacks
):
    order = _paid(place_order({sale["ticket_type"]: 2}, email="refund@example.kz"))
    first, second = order.items.order_by("pk")
    reader = _key(organizer, "orders:read").secret
    url = f"/api/v1/organizer/orders/{order.code}/refund"
    assert _send(client, "post", url, reader, {"ticket_ids": [first.pk]}).status_code == 403
    secret = _key(organizer, "orders:refund").secret
    mail.outbox.clear()
    part = _send(client, "post", url, secret, {"ticket_ids": [first.pk], "reason": "Заболел"})
    assert part.status_code == 200, part.content
    assert part.json()["amount"] == "5000.00" and part.json()["status"] == "paid"
    assert OrderItem.objects.get(pk=first.pk).status == "refunded"
    again = _send(client, "post", url, secret, {"ticket_ids": [first.pk]})
    assert again.status_code == 409 and again.json()["error"] == "nothing_to_refund"
    with django_capture_on_commit_callbacks(execute=True):
        rest = _send(client, "post", url, secret, {})
    assert rest.status_code == 200
    assert rest.json()["status"] == "refunded" and rest.json()["ticket_ids"] == [second.pk]
    assert Order.objects.get(pk=order.pk).refunded_amount == Decimal("10000")
    assert any("refund@example.kz" in m.to for m in mail.outbox)


def test_a_pending_order_is_cancelled_and_another_organizers_is_not_found(client, organizer, sale):
    pending = place_order({sale["ticket_type"]: 1})
    secret = _key(organizer, "orders:refund").secret
    done = _send(client, "post", f"/api/v1/organizer/orders/{pending.code}/refund", secret)
    assert done.status_code == 200 and done.json()["cancelled"] is True
    assert Order.objects.get(pk=pending.pk).status == "cancelled"
    other = _paid(place_order({TicketTypeFactory(session=SessionFactory(event=EventFactory())): 1}))
    assert (
        _send(client, "post", f"/api/v1/organizer/orders/{other.code}/refund", secret).status_code
        == 404
    )
    assert Order.objects.get(pk=other.pk).status == "paid"


# Check-in v1 ---------------------------------------------------------------------------------


def test_check_in_v1_admits_once_with_a_key_or_a_device_token(client, organizer, sale):
    order = _paid(place_order({sale["ticket_type"]: 1}, email="door@example.kz"))
    item = order.items.get()
    code = qr_payload(item)
    body = {"code": code, "event": sale["event"].slug}
    key = _key(organizer, "checkin")
    first = _send(client, "post", "/api/v1/organizer/checkin", key.secret, body)
    assert first.status_code == 200, first.content
    assert first.json()["result"] == "valid" and first.json()["ok"] is True
    assert first.json()["ticket"]["holder"] == order.full_name
    assert CheckIn.objects.get(item=item).scanner_label == "API: CRM"
    device = scanner_device_create(organizer=organizer, label="Вход Б", created_by=None)
    again = _send(client, "post", "/api/v1/organizer/checkin", device.token, body)
    assert again.json()["result"] == "used" and again.json()["checked_in_by"] == "API: CRM"
    # The old endpoint answers the same.
    old = client.post(
        "/orders/api/checkin/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {device.token}",
    )
    assert old.json()["result"] == "used"
    stats = client.get(
        "/api/v1/organizer/checkin/stats",
        {"event": sale["event"].slug},
        HTTP_AUTHORIZATION=f"Bearer {key.secret}",
    )
    assert stats.json()["sessions"][0]["checked_in"] == 1


def test_check_in_v1_refusals(client, organizer, sale):
    order = _paid(place_order({sale["ticket_type"]: 1}, email="masked@example.kz"))
    make_blocked(staff=UserFactory(is_staff=True), email="masked@example.kz")
    body = {"code": qr_payload(order.items.get()), "event": sale["event"].slug}
    reader = _key(organizer, "orders:read").secret
    assert _send(client, "post", "/api/v1/organizer/checkin", reader, body).status_code == 403
    assert _send(client, "post", "/api/v1/organizer/checkin", "nope", body).status_code == 401
    secret = _key(organizer, "checkin").secret
    unknown = _send(
        client, "post", "/api/v1/organizer/checkin", secret, {**body, "event": "no-such"}
    )
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_event"
    wrong_session = _send(
        client, "post", "/api/v1/organizer/checkin", secret, {**body, "session": 999999}
    )
    assert wrong_session.json()["error"] == "unknown_session"
    bad = _send(client, "post", "/api/v1/organizer/checkin", secret, {"event": body["event"]})
    assert bad.status_code == 422
    masked = _send(client, "post", "/api/v1/organizer/checkin", secret, body).json()
    assert masked["result"] == "valid" and masked["ticket"]["holder_masked"] is True
    assert "Иванов" not in json.dumps(masked, ensure_ascii=False)
    # Another organizer's key sees no such event.
    stranger = _key(OrganizerFactory(), "checkin").secret
    assert _send(client, "post", "/api/v1/organizer/checkin", stranger, body).status_code == 404


# Publishing and deleting ---------------------------------------------------------------------


def test_a_draft_is_published_and_unpublished_under_the_cabinets_rules(client, organizer):
    writer = _key(organizer, "events:write").secret
    reader = _key(organizer, "events:read").secret
    draft = EventFactory(organizer=organizer, status=Event.Status.DRAFT)
    publish = f"/api/v1/organizer/events/{draft.pk}/publish"
    unpublish = f"/api/v1/organizer/events/{draft.pk}/unpublish"
    assert _send(client, "post", publish, reader).status_code == 403
    empty = _send(client, "post", publish, writer)
    assert empty.status_code == 409 and empty.json()["error"] == "publish_refused"
    assert "сеанс" in empty.json()["message"]
    TicketTypeFactory(
        session=SessionFactory(event=draft, starts_at=timezone.now() + timedelta(days=5))
    )
    done = _send(client, "post", publish, writer)
    assert done.status_code == 200, done.content
    assert done.json()["id"] == draft.pk and done.json()["status"] == "published"
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    twice = _send(client, "post", publish, writer)
    assert twice.status_code == 409 and twice.json()["error"] == "publish_refused"
    assert _send(client, "post", unpublish, reader).status_code == 403
    back = _send(client, "post", unpublish, writer)
    assert back.status_code == 200 and back.json()["status"] == "draft"
    assert Event.objects.get(pk=draft.pk).status == Event.Status.DRAFT
    again = _send(client, "post", unpublish, writer)
    assert again.status_code == 409 and again.json()["error"] == "unpublish_refused"
    strangers = EventFactory(organizer=OrganizerFactory(), status=Event.Status.DRAFT)
    for action in ("publish", "unpublish"):
        url = f"/api/v1/organizer/events/{strangers.pk}/{action}"
        assert _send(client, "post", url, writer).status_code == 404


def test_an_event_with_tickets_taken_is_not_unpublished(client, organizer, sale):
    place_order({sale["ticket_type"]: 1}, email="held@example.kz")
    writer = _key(organizer, "events:write").secret
    url = f"/api/v1/organizer/events/{sale['event'].pk}/unpublish"
    refused = _send(client, "post", url, writer)
    assert refused.status_code == 409 and refused.json()["error"] == "unpublish_refused"
    assert "отмен" in refused.json()["message"].lower()
    assert Event.objects.get(pk=sale["event"].pk).status == Event.Status.PUBLISHED


def test_a_session_and_ticket_type_with_nothing_taken_are_deleted(client, organizer, sale):
    writer = _key(organizer, "events:write").secret
    reader = _key(organizer, "events:read").secret
    session = SessionFactory(event=sale["event"])
    ticket_type = TicketTypeFactory(session=session)
    tt_url = f"/api/v1/organizer/ticket-types/{ticket_type.pk}"
    session_url = f"/api/v1/organizer/sessions/{session.pk}"
    assert _send(client, "delete", tt_url, reader).status_code == 403
    assert _send(client, "delete", session_url, reader).status_code == 403
    gone = _send(client, "delete", tt_url, writer)
    assert gone.status_code == 204 and not TicketType.objects.filter(pk=ticket_type.pk).exists()
    assert _send(client, "delete", tt_url, writer).status_code == 404
    gone = _send(client, "delete", session_url, writer)
    assert gone.status_code == 204 and not Session.objects.filter(pk=session.pk).exists()
    strangers = TicketTypeFactory(session=SessionFactory(event=EventFactory()))
    assert (
        _send(
            client, "delete", f"/api/v1/organizer/ticket-types/{strangers.pk}", writer
        ).status_code
        == 404
    )
    assert (
        _send(
            client, "delete", f"/api/v1/organizer/sessions/{strangers.session_id}", writer
        ).status_code
        == 404
    )
    assert TicketType.objects.filter(pk=strangers.pk).exists()


def test_a_session_or_ticket_type_with_tickets_taken_is_not_deleted(client, organizer, sale):
    _paid(place_order({sale["ticket_type"]: 1}, email="kept@example.kz"))
    writer = _key(organizer, "events:write").secret
    ticket_type = sale["ticket_type"]
    for url in (
        f"/api/v1/organizer/ticket-types/{ticket_type.pk}",
        f"/api/v1/organizer/sessions/{ticket_type.session_id}",
    ):
        refused = _send(client, "delete", url, writer)
        assert refused.status_code == 409 and refused.json()["error"] == "delete_refused", url
    assert TicketType.objects.filter(pk=ticket_type.pk).exists()
    assert Order.objects.filter(email="kept@example.kz", status="paid").exists()

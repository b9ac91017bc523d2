"""Cabinet pages: create, edit, duplicate, publish, unpublish and cancel events; sessions and
ticket types with their validation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from events import hooks
from events.models import Event, Session, TicketType, Venue
from organizers.models import Organizer
from tests.events.conftest import local
from tests.factories import EventFactory, MembershipFactory, SessionFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


def _url(name, organizer, **kwargs):
    return reverse(f"events_cabinet:{name}", kwargs={"organizer_slug": organizer.slug, **kwargs})


def test_create_an_event_as_a_draft_with_its_venue(manager_client, event_form_data):
    organizer = manager_client.organizer
    response = manager_client.post(_url("event_create", organizer), event_form_data)
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("event_detail", organizer, pk=event.pk)
    assert event.status == Event.Status.DRAFT
    assert event.slug == "noch-dombry"
    assert (event.title_ru, event.title_kk, event.title_en) == (
        "Ночь домбры",
        "Домбыра түні",
        "Dombra Night",
    )
    assert event.venue.organizer == organizer
    assert event.venue.latitude == Decimal("43.233000")
    # The same venue is reused by the next event.
    manager_client.post(_url("event_create", organizer), event_form_data)
    assert Venue.objects.count() == 1
    assert Event.objects.get(slug="noch-dombry-2")


def test_russian_title_is_required(manager_client, event_form_data):
    event_form_data["title_ru"] = ""
    response = manager_client.post(_url("event_create", manager_client.organizer), event_form_data)
    assert response.status_code == 200
    assert "title_ru" in response.context["form"].errors
    assert not Event.objects.exists()


def test_edit_keeps_the_slug(manager_client, event_form_data):
    event = EventFactory(organizer=manager_client.organizer, slug="old-slug")
    event_form_data["title_ru"] = "Новое название"
    response = manager_client.post(
        _url("event_edit", manager_client.organizer, pk=event.pk), event_form_data
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_ru == "Новое название"
    assert event.slug == "old-slug"


def test_add_sessions_and_ticket_types(manager_client, in_days):
    organizer = manager_client.organizer
    event = EventFactory(organizer=organizer, status=Event.Status.DRAFT)
    for day in (10, 11):
        response = manager_client.post(
            _url("session_create", organizer, pk=event.pk),
            {
                "starts_at": local(in_days(day)),
                "ends_at": local(in_days(day, 22)),
                "doors_open_at": local(in_days(day, 18)),
            },
        )
        assert response.status_code == 302
    first, _second = event.sessions.order_by("starts_at")
    assert first.starts_at == in_days(10)
    response = manager_client.post(
        _url("ticket_type_create", organizer, pk=first.pk),
        {
            "name_ru": "Партер",
            "price": "12500",
            "quantity": "200",
            "max_per_order": "6",
            "position": "0",
        },
    )
    assert response.status_code == 302
    ticket_type = first.ticket_types.get()
    assert ticket_type.price == Decimal("12500")
    assert ticket_type.sale_ends_at == first.starts_at  # on sale until the session starts
    page = manager_client.get(_url("event_detail", organizer, pk=event.pk)).content.decode()
    assert "Партер" in page
    assert "12\u00a0500\u00a0₸" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "-1"}, "price"),
        ({"quantity": "0"}, "quantity"),
        ({"name_ru": ""}, "name_ru"),
        ({"max_per_order": "0"}, "max_per_order"),
    ],
)
def test_ticket_type_validation(manager_client, changes, field):
    session = SessionFactory(event__organizer=manager_client.organizer)
    data = {
        "name_ru": "Стандарт",
        "price": "5000",
        "quantity": "10",
        "max_per_order": "5",
        "position": "0",
        **changes,
    }
    response = manager_client.post(
        _url("ticket_type_create", manager_client.organizer, pk=session.pk), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TicketType.objects.exists()


def test_sale_must_end_before_the_session_starts(manager_client, in_days):
    session = SessionFactory(event__organizer=manager_client.organizer, starts_at=in_days(5))
    data = {
        "name_ru": "Стандарт",
        "price": "5000",
        "quantity": "10",
        "max_per_order": "5",
        "position": "0",
        "sale_ends_at": local(in_days(6)),
    }
    response = manager_client.post(
        _url("ticket_type_create", manager_client.organizer, pk=session.pk), data
    )
    assert response.status_code == 200
    assert "sale_ends_at" in response.context["form"].errors
    assert not TicketType.objects.exists()


def test_quantity_cannot_go_below_what_is_taken(manager_client):
    ticket_type = TicketTypeFactory(
        session__event__organizer=manager_client.organizer, quantity=100, quantity_taken=40
    )
    data = {
        "name_ru": "Стандарт",
        "price": "5000",
        "quantity": "39",
        "max_per_order": "5",
        "position": "0",
    }
    url = _url("ticket_type_edit", manager_client.organizer, pk=ticket_type.pk)
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert "quantity" in response.context["form"].errors
    ticket_type.refresh_from_db()
    assert ticket_type.quantity == 100
    response = manager_client.post(url, {**data, "quantity": "40"})
    assert response.status_code == 302
    ticket_type.refresh_from_db()
    assert ticket_type.quantity == 40


def test_session_validation(manager_client, in_days):
    event = EventFactory(organizer=manager_client.organizer)
    url = _url("session_create", manager_client.organizer, pk=event.pk)
    past = manager_client.post(url, {"starts_at": local(in_days(-1))})
    assert "starts_at" in past.context["form"].errors
    backwards = manager_client.post(
        url, {"starts_at": local(in_days(3)), "ends_at": local(in_days(2))}
    )
    assert "ends_at" in backwards.context["form"].errors
    late_doors = manager_client.post(
        url, {"starts_at": local(in_days(3)), "doors_open_at": local(in_days(3, 20))}
    )
    assert "doors_open_at" in late_doors.context["form"].errors
    assert not Session.objects.exists()


def test_moving_a_session_moves_the_default_sale_end(manager_client, in_days):
    session = SessionFactory(event__organizer=manager_client.organizer, starts_at=in_days(5))
    ticket_type = TicketTypeFactory(session=session, sale_ends_at=session.starts_at)
    url = _url("session_edit", manager_client.organizer, pk=session.pk)
    assert manager_client.post(url, {"starts_at": local(in_days(4))}).status_code == 302
    ticket_type.refresh_from_db()
    assert ticket_type.sale_ends_at == in_days(4)


def _publish(client, event):
    return client.post(_url("event_publish", event.organizer, pk=event.pk), follow=True)


def test_publish_needs_a_future_session_with_tickets(manager_client):
    event = EventFactory(organizer=manager_client.organizer, status=Event.Status.DRAFT)
    response = _publish(manager_client, event)
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    assert "сеанс" in response.content.decode()
    TicketTypeFactory(session__event=event)
    _publish(manager_client, event)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.published_at is not None


def test_only_verified_organizers_publish_paid_events(manager_client):
    Organizer.objects.filter(pk=manager_client.organizer.pk).update(status="pending")
    paid = TicketTypeFactory(
        session__event__organizer=manager_client.organizer,
        session__event__status=Event.Status.DRAFT,
        price=Decimal("5000"),
    ).session.event
    free = TicketTypeFactory(
        session__event__organizer=manager_client.organizer,
        session__event__status=Event.Status.DRAFT,
        price=Decimal("0"),
    ).session.event
    _publish(manager_client, paid)
    _publish(manager_client, free)
    paid.refresh_from_db()
    free.refresh_from_db()
    assert paid.status == Event.Status.DRAFT
    assert free.status == Event.Status.PUBLISHED


def test_unpublish_is_refused_once_tickets_are_taken(manager_client):
    ticket_type = TicketTypeFactory(session__event__organizer=manager_client.organizer)
    event = ticket_type.session.event
    url = _url("event_unpublish", event.organizer, pk=event.pk)
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity_taken=1)
    manager_client.post(url)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity_taken=0)
    manager_client.post(url)
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_cancel_calls_the_event_cancelled_hook_inside_the_transaction(manager_client, monkeypatch):
    event = TicketTypeFactory(session__event__organizer=manager_client.organizer).session.event
    received = []

    def receiver(*, event):
        from django.db import connection

        received.append((event.pk, event.status, connection.in_atomic_block))

    monkeypatch.setitem(hooks._registered, "event_cancelled", receiver)
    url = _url("event_cancel", event.organizer, pk=event.pk)
    page = manager_client.get(url)
    assert page.status_code == 200
    expected = page.context["figures"].fingerprint
    response = manager_client.post(url, {"title": event.title_ru, "expected": expected})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.cancelled_at is not None
    assert received == [(event.pk, "cancelled", True)]
    # A cancelled event cannot be edited any more.
    response = manager_client.get(_url("event_edit", event.organizer, pk=event.pk))
    assert response.status_code == 302


def test_duplicate_copies_sessions_and_ticket_types_without_sales(manager_client):
    ticket_type = TicketTypeFactory(
        session__event__organizer=manager_client.organizer, quantity=50, quantity_taken=7
    )
    TicketTypeFactory(session=ticket_type.session, name_ru="VIP", price=Decimal("30000"))
    event = ticket_type.session.event
    response = manager_client.post(_url("event_duplicate", event.organizer, pk=event.pk))
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == _url("event_detail", event.organizer, pk=copy.pk)
    assert copy.status == Event.Status.DRAFT
    assert copy.slug != event.slug
    assert copy.title_ru == event.title_ru
    copied = TicketType.objects.filter(session__event=copy).order_by("price")
    assert [(t.name_ru, t.quantity_taken) for t in copied] == [("Стандарт", 0), ("VIP", 0)]
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 7


def test_ticket_type_with_sales_cannot_be_deleted(manager_client):
    ticket_type = TicketTypeFactory(
        session__event__organizer=manager_client.organizer, quantity_taken=1
    )
    url = _url("ticket_type_delete", manager_client.organizer, pk=ticket_type.pk)
    manager_client.post(url, {"confirm": "yes"})
    assert TicketType.objects.filter(pk=ticket_type.pk).exists()
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity_taken=0)
    manager_client.post(url, {"confirm": "yes"})
    assert not TicketType.objects.filter(pk=ticket_type.pk).exists()


def test_cabinet_event_list_makes_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries
):
    for _ in range(5):
        TicketTypeFactory(session__event__organizer=manager_client.organizer)
    url = _url("event_list", manager_client.organizer)
    with django_assert_max_num_queries(8):
        response = manager_client.get(url)
    assert len(response.context["events"]) == 5


def test_events_whose_sessions_are_over_become_finished():
    from datetime import timedelta

    from django.utils import timezone

    from events.tasks import events_mark_finished_task

    past = SessionFactory(starts_at=timezone.now() - timedelta(days=2)).event
    running = SessionFactory(
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
    ).event
    SessionFactory(event=past, starts_at=timezone.now() - timedelta(days=1))
    upcoming = SessionFactory().event
    assert events_mark_finished_task.delay().get() == 1
    statuses = dict(Event.objects.values_list("pk", "status"))
    assert statuses == {past.pk: "finished", running.pk: "published", upcoming.pk: "published"}


def test_session_delete_asks_first_and_states_what_goes_with_it(manager_client):
    session = SessionFactory(event__organizer=manager_client.organizer)
    TicketTypeFactory(session=session)
    TicketTypeFactory(session=session, name_ru="VIP")
    url = _url("session_delete", manager_client.organizer, pk=session.pk)
    for response in (manager_client.get(url), manager_client.post(url)):
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="figure-ticket-types">2<' in html
        assert 'data-testid="figure-taken">0<' in html
    assert Session.objects.filter(pk=session.pk).exists()
    response = manager_client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not TicketType.objects.filter(session_id=session.pk).exists()


def test_session_with_sales_offers_no_delete_button(manager_client):
    ticket_type = TicketTypeFactory(
        session__event__organizer=manager_client.organizer, quantity_taken=3
    )
    url = _url("session_delete", manager_client.organizer, pk=ticket_type.session.pk)
    html = manager_client.get(url).content.decode()
    assert 'data-testid="figure-taken">3<' in html
    assert "удалить его нельзя" in html
    assert 'name="confirm"' not in html
    manager_client.post(url, {"confirm": "yes"})  # the service refuses it anyway
    assert Session.objects.filter(pk=ticket_type.session.pk).exists()


def test_ticket_type_delete_asks_first(manager_client):
    ticket_type = TicketTypeFactory(
        session__event__organizer=manager_client.organizer, price=Decimal("7500")
    )
    url = _url("ticket_type_delete", manager_client.organizer, pk=ticket_type.pk)
    for response in (manager_client.get(url), manager_client.post(url)):
        html = response.content.decode()
        assert response.status_code == 200
        assert "7\u00a0500\u00a0₸" in html
        assert 'name="confirm"' in html
    assert TicketType.objects.filter(pk=ticket_type.pk).exists()


@pytest.mark.parametrize("role", ["checkin", "accountant"])
def test_roles_without_events_get_403_on_delete_confirmations(client, role):
    ticket_type = TicketTypeFactory()
    organizer = ticket_type.session.event.organizer
    client.force_login(MembershipFactory(organizer=organizer, role=role).user)
    urls = [
        _url("session_delete", organizer, pk=ticket_type.session.pk),
        _url("ticket_type_delete", organizer, pk=ticket_type.pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert TicketType.objects.filter(pk=ticket_type.pk).exists()

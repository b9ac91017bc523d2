"""Organizers make seat maps in the cabinet and sell a session by seats."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Seat, SeatMap, SessionSeatBlock, TicketType
from organizers.models import Membership
from tests.events.seatmap_factories import seat, seated_session
from tests.factories import MembershipFactory, SessionFactory
from tests.tickets.factories import new_token
from tickets.seating.services import seats_hold

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory()


@pytest.fixture
def owner(client, session):
    member = MembershipFactory(organizer=session.event.organizer, role=Membership.Role.OWNER)
    client.force_login(member.user)
    return client


def _csv(rows: int, per_row: int) -> bytes:
    lines = ["section,row,number,x,y,category"]
    for r in range(1, rows + 1):
        for n in range(1, per_row + 1):
            category = "VIP" if r <= 2 else "Партер"
            lines.append(f"Партер,{r},{n},{n * 30},{r * 34},{category}")
    return "\n".join(lines).encode()


def test_an_organizer_imports_a_500_seat_hall_from_csv_and_previews_it(owner, session):
    url = reverse("events_cabinet:seat_map_list", args=[session.event.organizer.slug])
    upload = SimpleUploadedFile("hall.csv", _csv(20, 25), content_type="text/csv")
    answer = owner.post(
        url,
        {
            "action": "import",
            "import-name": "Большой зал",
            "import-venue": session.event.venue.pk,
            "import-layout": upload,
        },
    )
    assert answer.status_code == 302
    seat_map = SeatMap.objects.get()
    assert seat_map.seats.count() == 500
    assert sorted(seat_map.categories.values_list("name", flat=True)) == ["VIP", "Партер"]
    preview = owner.get(answer["Location"]).content.decode()
    assert preview.count("data-seat=") == 500
    assert "Партер, ряд 20, место 25" in preview


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hall.json", b"{not json", "JSON"),
        (
            "hall.json",
            json.dumps({"seats": [{"section": "A", "row": "1", "number": "1", "x": 1}]}).encode(),
            "y",
        ),
        ("hall.csv", b"section,row,number\nA,1,1", "x, y"),
        (
            "hall.csv",
            b"section,row,number,x,y,category\nA,1,1,0,0,VIP\nA,1,1,30,0,VIP",
            "A, ряд 1, место 1",
        ),
    ],
)
def test_a_broken_layout_is_refused_with_the_reason(owner, session, name, content, message):
    url = reverse("events_cabinet:seat_map_list", args=[session.event.organizer.slug])
    answer = owner.post(
        url,
        {
            "action": "import",
            "import-name": "Зал",
            "import-venue": session.event.venue.pk,
            "import-layout": SimpleUploadedFile(name, content),
        },
    )
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not SeatMap.objects.exists()


def test_generators_make_a_map_with_a_block_and_rows_with_offsets(owner, session):
    slug = session.event.organizer.slug
    answer = owner.post(
        reverse("events_cabinet:seat_map_list", args=[slug]),
        {
            "action": "generate",
            "generate-name": "Камерный зал",
            "generate-venue": session.event.venue.pk,
            "generate-section": "Партер",
            "generate-category": "Партер",
            "generate-rows": 3,
            "generate-seats_per_row": 4,
            "generate-first_row": 1,
            "generate-origin_x": 0,
            "generate-origin_y": 0,
            "generate-stagger": "on",
        },
    )
    seat_map = SeatMap.objects.get()
    assert answer["Location"].endswith(f"/seat-maps/{seat_map.pk}/")
    answer = owner.post(
        answer["Location"],
        {
            "action": "rows",
            "rows-section": "Балкон",
            "rows-category": "Балкон",
            "rows-rows_text": "1 4\n2 6 -1",
            "rows-origin_x": 0,
            "rows-origin_y": 200,
        },
    )
    assert answer.status_code == 302
    assert seat_map.seats.count() == 12 + 10
    first = seat_map.seats.get(section="Балкон", row="1", number="1")
    assert first.x == 30  # centred on the six-seat row
    assert seat_map.seats.get(section="Балкон", row="2", number="1").x == 0  # offset -1, clamped
    assert seat_map.seats.get(section="Партер", row="2", number="1").x == 15  # staggered


def test_a_session_is_sold_by_seats_with_prices_and_blocked_seats(owner, session):
    _other, seat_map = seated_session(rows=3, seats_per_row=5)
    seat_map.organizer = session.event.organizer
    seat_map.save()
    url = reverse("events_cabinet:session_seating", args=[session.event.organizer.slug, session.pk])
    owner.post(url, {"action": "seating", "seat_map": seat_map.pk})
    prices = {f"price_{c.pk}": "15000" for c in seat_map.categories.all()}
    answer = owner.post(url, {"action": "seating", "seat_map": seat_map.pk, **prices})
    assert answer.status_code == 302
    assert set(TicketType.objects.filter(session=session).values_list("price", flat=True)) == {
        Decimal("15000")
    }
    answer = owner.post(
        url,
        {
            "action": "block",
            "section": "Партер",
            "row": "3",
            "numbers": "1-2, 5",
            "reason": "guests",
        },
    )
    assert answer.status_code == 302
    assert sorted(
        SessionSeatBlock.objects.filter(session=session).values_list("seat__number", flat=True)
    ) == ["1", "2", "5"]
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity == 5 - 3
    page = owner.get(url).content.decode()
    assert page.count("seat seat--blocked") == 3


def test_a_held_seat_cannot_be_blocked(owner):
    session, seat_map = seated_session(rows=3, seats_per_row=5)
    MembershipFactory(organizer=session.event.organizer, role=Membership.Role.OWNER)
    owner.force_login(
        MembershipFactory(organizer=session.event.organizer, role=Membership.Role.MANAGER).user
    )
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[seat(seat_map, 3, 1).pk])
    url = reverse("events_cabinet:session_seating", args=[session.event.organizer.slug, session.pk])
    answer = owner.post(
        url,
        {"action": "block", "section": "Партер", "row": "3", "numbers": "1", "reason": "technical"},
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Место Партер, ряд 3, место 1 удерживается в корзине покупателя до" in page
    assert not SessionSeatBlock.objects.exists()


def test_unblocking_in_the_cabinet_puts_the_seat_back_on_sale(owner):
    from events.seating.services import session_seats_block
    from tickets.models import SeatClaim

    session, seat_map = seated_session(rows=3, seats_per_row=5)
    owner.force_login(
        MembershipFactory(organizer=session.event.organizer, role=Membership.Role.MANAGER).user
    )
    guest = seat(seat_map, 3, 2)
    session_seats_block(session=session, seat_ids=[guest.pk], reason="guests")
    url = reverse("events_cabinet:session_seating", args=[session.event.organizer.slug, session.pk])
    answer = owner.post(
        url,
        {
            "action": "block",
            "section": "Партер",
            "row": "3",
            "numbers": "2",
            "reason": "guests",
            "unblock": "on",
        },
    )
    assert answer.status_code == 302
    assert not SeatClaim.objects.exists()
    assert seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[guest.pk])


def test_another_organizers_map_is_not_found(owner):
    _session, seat_map = seated_session()
    url = reverse("events_cabinet:seat_map_detail", args=[_session_org(owner), seat_map.pk])
    assert owner.get(url).status_code == 404
    assert Seat.objects.filter(seat_map=seat_map).exists()


def _session_org(client) -> str:
    return Membership.objects.get(user_id=client.session["_auth_user_id"]).organizer.slug


def test_staff_see_seat_maps_seats_and_claims_in_the_admin(client):
    from tests.factories import UserFactory

    session, seat_map = seated_session(rows=2, seats_per_row=3)
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[seat(seat_map, 1, 1).pk])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name in (
        "events_seatmap",
        "events_seat",
        "events_sessionseating",
        "events_sessionseatblock",
        "tickets_seatclaim",
    ):
        answer = client.get(reverse(f"admin:{name}_changelist"))
        assert answer.status_code == 200, name
    page = client.get(reverse("admin:events_seatmap_change", args=[seat_map.pk]))
    assert "Большой зал" in page.content.decode()
    claims = client.get(reverse("admin:tickets_seatclaim_changelist")).content.decode()
    assert "Партер, ряд 1, место 1" in claims


def test_a_duplicated_event_is_sold_by_the_same_seats():
    from events import services
    from events.models import SessionSeating
    from events.seating.services import session_seats_block

    session, seat_map = seated_session(rows=3, seats_per_row=5)
    guest_seat = seat(seat_map, 3, 1)
    session_seats_block(session=session, seat_ids=[guest_seat.pk], reason="guests")
    copy = services.event_duplicate(event=session.event)
    new_session = copy.sessions.get()
    assert SessionSeating.objects.get(session=new_session).seat_map == seat_map
    prices = dict(new_session.seat_prices.values_list("category__name", "ticket_type__session"))
    assert prices == {"VIP": new_session.pk, "Партер": new_session.pk}
    assert new_session.seat_blocks.get().seat == guest_seat
    assert TicketType.objects.get(session=new_session, name_ru="Партер").quantity == 4


def test_the_quantity_of_a_seated_ticket_type_follows_its_seats():
    from events import services

    session, _map = seated_session(rows=3, seats_per_row=5)
    stalls = TicketType.objects.get(session=session, name_ru="Партер")
    services.ticket_type_update(
        ticket_type=stalls, data={"quantity": 99, "price": Decimal("7000"), "name_ru": "Партер"}
    )
    stalls.refresh_from_db()
    assert (stalls.quantity, stalls.price) == (5, Decimal("7000"))


def test_the_event_list_links_to_seat_maps_and_each_session_to_its_seating(owner, session):
    slug = session.event.organizer.slug
    page = owner.get(reverse("events_cabinet:event_list", args=[slug])).content.decode()
    assert reverse("events_cabinet:seat_map_list", args=[slug]) in page
    detail = owner.get(reverse("events_cabinet:event_detail", args=[slug, session.event.pk]))
    assert (
        reverse("events_cabinet:session_seating", args=[slug, session.pk])
        in detail.content.decode()
    )

from decimal import Decimal

import pytest
from django.urls import reverse

from organizers.models import Membership
from tests.factories import EventFactory, MembershipFactory, SessionFactory, TicketTypeFactory
from tests.tickets.factories import QuestionFactory
from tests.tickets.flows import place_order
from tickets.models import Answer, PromoCode, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return TicketTypeFactory(price=Decimal("5000")).session.event


@pytest.fixture
def owner_client(client, event):
    client.force_login(MembershipFactory(organizer=event.organizer).user)
    return client


def test_organizer_adds_questions_of_every_kind(owner_client, event):
    url = reverse("tickets:cabinet_questions", args=[event.organizer.slug, event.slug])
    for kind in Question.Kind.values:
        data = {"label": f"Вопрос {kind}", "kind": kind, "required": ""}
        if kind == "choice":
            data["choices"] = "Да\nНет\nМожет быть"
        assert owner_client.post(url, data).status_code == 302
    assert sorted(Question.objects.filter(event=event).values_list("kind", flat=True)) == sorted(
        Question.Kind.values
    )
    assert list(Question.objects.filter(event=event).values_list("position", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
        5,
    ]


def test_choice_question_needs_choices_with_a_clear_error(owner_client, event):
    url = reverse("tickets:cabinet_questions", args=[event.organizer.slug, event.slug])
    response = owner_client.post(url, {"label": "Размер", "kind": "choice", "choices": "S"})
    assert response.status_code == 400
    assert "не менее двух вариантов" in response.content.decode()
    assert not Question.objects.exists()


def test_answered_question_cannot_be_deleted(owner_client, event):
    question = QuestionFactory(event=event)
    unused = QuestionFactory(event=event)
    order = place_order({event.sessions.first().ticket_types.first(): 1})
    Answer.objects.create(order=order, question=question, value="x")
    org = event.organizer.slug
    owner_client.post(reverse("tickets:cabinet_question_delete", args=[org, event.slug, unused.pk]))
    response = owner_client.post(
        reverse("tickets:cabinet_question_delete", args=[org, event.slug, question.pk]),
        follow=True,
    )
    assert "уже ответили" in response.content.decode()
    assert list(Question.objects.values_list("pk", flat=True)) == [question.pk]


def test_questions_of_another_organizers_event_are_404(owner_client, event):
    other = EventFactory()
    url = reverse("tickets:cabinet_questions", args=[event.organizer.slug, other.slug])
    assert owner_client.get(url).status_code == 404
    assert owner_client.post(url, {"label": "x", "kind": "text"}).status_code == 404
    assert not Question.objects.exists()


def test_organizer_creates_a_promo_code_used_at_checkout(owner_client, event):
    url = reverse("tickets:cabinet_promo_codes", args=[event.organizer.slug])
    response = owner_client.post(
        url,
        {
            "code": "vip-20",
            "kind": "percent",
            "value": "20",
            "event": event.slug,
            "usage_limit": "2",
        },
    )
    assert response.status_code == 302
    promo = PromoCode.objects.get()
    assert (promo.code, promo.organizer, promo.usage_limit) == ("VIP-20", event.organizer, 2)
    order = place_order({event.sessions.first().ticket_types.first(): 1}, promo="VIP-20")
    assert order.total == Decimal("4000.00")
    page = owner_client.get(url).content.decode()
    assert "VIP-20" in page and "1 / 2" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "BIG", "kind": "percent", "value": "150"}, "больше 100"),
        ({"code": "ZERO", "kind": "fixed", "value": "0"}, "больше нуля"),
        ({"code": "BAD CODE!", "kind": "fixed", "value": "100"}, "только буквы"),
    ],
)
def test_bad_promo_codes_get_clear_errors(owner_client, event, data, message):
    url = reverse("tickets:cabinet_promo_codes", args=[event.organizer.slug])
    response = owner_client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PromoCode.objects.exists()


def test_promo_code_for_another_organizers_event_is_refused(owner_client, event):
    url = reverse("tickets:cabinet_promo_codes", args=[event.organizer.slug])
    response = owner_client.post(
        url, {"code": "X", "kind": "percent", "value": "5", "event": EventFactory().slug}
    )
    assert response.status_code == 400
    assert "Ни одно из ваших событий так не называется" in response.content.decode()
    assert not PromoCode.objects.exists()


def test_promo_code_event_and_ticket_type_are_typed_not_listed(owner_client, event):
    organizer = event.organizer
    url = reverse("tickets:cabinet_promo_codes", args=[organizer.slug])
    others = [EventFactory(organizer=organizer, title_ru=f"Джаз {n}") for n in range(3)]
    page = owner_client.get(url).content.decode()
    assert all(other.title not in page for other in others)  # nothing is listed
    # part of a title that only one event has
    ticket_type = event.sessions.first().ticket_types.first()
    response = owner_client.post(
        url,
        {
            "code": "T1",
            "kind": "fixed",
            "value": "500",
            "event": event.title,
            "ticket_type": ticket_type.name,
        },
    )
    assert response.status_code == 302
    promo = PromoCode.objects.get(code="T1")
    assert (promo.event, promo.ticket_type) == (event, ticket_type)
    # several events match: the form asks for the address and names them
    response = owner_client.post(
        url, {"code": "T2", "kind": "fixed", "value": "5", "event": "Джаз"}
    )
    assert response.status_code == 400
    assert others[0].slug in response.content.decode()


def test_a_ticket_type_named_alike_in_several_sessions_is_told_apart_by_number(owner_client, event):
    first = event.sessions.first().ticket_types.first()
    later = SessionFactory(event=event)
    twin = TicketTypeFactory(session=later, name_ru=first.name)
    url = reverse("tickets:cabinet_promo_codes", args=[event.organizer.slug])
    data = {"code": "TW", "kind": "fixed", "value": "5", "event": event.slug}
    response = owner_client.post(url, {**data, "ticket_type": first.name})
    assert response.status_code == 400
    assert str(first.pk) in response.content.decode() and str(twin.pk) in response.content.decode()
    assert owner_client.post(url, {**data, "ticket_type": str(twin.pk)}).status_code == 302
    assert PromoCode.objects.get(code="TW").ticket_type == twin
    no_event = owner_client.post(url, {**data, "code": "NE", "event": "", "ticket_type": "x"})
    assert no_event.status_code == 400 and not PromoCode.objects.filter(code="NE").exists()


def test_checkin_staff_cannot_manage_promo_codes(client, event):
    member = MembershipFactory(organizer=event.organizer, role=Membership.Role.CHECKIN)
    client.force_login(member.user)
    url = reverse("tickets:cabinet_promo_codes", args=[event.organizer.slug])
    assert client.post(url, {"code": "X", "kind": "percent", "value": "5"}).status_code == 403
    assert not PromoCode.objects.exists()

from decimal import Decimal

import pytest
from django.urls import reverse

from organizers.models import Membership
from tests.factories import EventFactory, MembershipFactory, TicketTypeFactory
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
        {"code": "vip-20", "kind": "percent", "value": "20", "event": event.pk, "usage_limit": "2"},
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
        url, {"code": "X", "kind": "percent", "value": "5", "event": EventFactory().pk}
    )
    assert response.status_code == 400
    assert not PromoCode.objects.exists()


def test_checkin_staff_cannot_manage_promo_codes(client, event):
    member = MembershipFactory(organizer=event.organizer, role=Membership.Role.CHECKIN)
    client.force_login(member.user)
    url = reverse("tickets:cabinet_promo_codes", args=[event.organizer.slug])
    assert client.post(url, {"code": "X", "kind": "percent", "value": "5"}).status_code == 403
    assert not PromoCode.objects.exists()

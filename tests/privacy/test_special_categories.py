"""Special categories of data: the organizer is warned about questions asking for identity
documents or health data, marks them "needs written consent", and checkout then asks the buyer
for that consent separately and records it in the ledger."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from privacy.models import ConsentRecord
from privacy.special_categories import HEALTH, IDENTITY_DOCUMENT, special_categories_of
from tests.factories import MembershipFactory, TicketTypeFactory
from tests.privacy.test_consent_notice import shown_text
from tests.tickets.factories import QuestionFactory
from tests.tickets.helpers import PNG, buyer_data, choose, idempotency_key
from tickets.models import Answer, Order, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return TicketTypeFactory(price=Decimal("0"), quantity=10).session.event


@pytest.fixture
def owner_client(client, event):
    client.force_login(MembershipFactory(organizer=event.organizer).user)
    return client


def _questions_url(event) -> str:
    return reverse("tickets:cabinet_questions", args=[event.organizer.slug, event.slug])


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Номер удостоверения личности", [IDENTITY_DOCUMENT]),
        ("Скан паспорта", [IDENTITY_DOCUMENT]),
        ("Жеке куәлігіңіздің нөмірі", [IDENTITY_DOCUMENT]),
        ("Medical certificate", [IDENTITY_DOCUMENT, HEALTH]),
        ("Есть ли аллергия на орехи?", [HEALTH]),
        ("Денсаулық туралы анықтама", [HEALTH]),
        ("Размер футболки", []),
        ("Любимая песня", []),
    ],
)
def test_labels_that_ask_for_documents_or_health_are_recognised(label, expected):
    assert special_categories_of(label) == expected


def test_a_text_question_about_an_identity_document_is_held_back_with_a_warning(
    owner_client, event
):
    url = _questions_url(event)
    response = owner_client.post(url, {"label": "Номер удостоверения личности", "kind": "text"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "письменного согласия" in page and "документы, удостоверяющие личность" in page
    assert 'name="save_without_written_consent"' in page
    assert not Question.objects.exists()

    response = owner_client.post(
        url,
        {"label": "Номер удостоверения личности", "kind": "text", "needs_written_consent": "on"},
    )
    assert response.status_code == 302
    assert Question.objects.get().needs_written_consent is True


def test_the_organizer_may_say_a_question_asks_for_no_such_data(owner_client, event):
    response = owner_client.post(
        _questions_url(event),
        {"label": "Справка для бухгалтерии", "kind": "file", "save_without_written_consent": "1"},
    )
    assert response.status_code == 302
    assert Question.objects.get().needs_written_consent is False


def test_other_questions_and_other_kinds_are_saved_without_a_warning(owner_client, event):
    url = _questions_url(event)
    assert owner_client.post(url, {"label": "Размер футболки", "kind": "text"}).status_code == 302
    choice = {"label": "Паспорт РК есть?", "kind": "choice", "choices": "Да\nНет"}
    assert owner_client.post(url, choice).status_code == 302
    assert Question.objects.count() == 2
    page = owner_client.get(url).content.decode()
    assert "Письменное согласие" in page  # the list shows which questions need it


@pytest.fixture
def special_question(event):
    event.organizer.legal_name = "ТОО «Марафон Алматы»"
    event.organizer.save()
    return QuestionFactory(
        event=event,
        kind=Question.Kind.FILE,
        label="Медицинская справка",
        required=False,
        needs_written_consent=True,
    )


def _checkout_page(client, event):
    ticket_type = event.sessions.first().ticket_types.first()
    choose(client, ticket_type.session, {ticket_type: 1})
    return client.get(reverse("tickets:checkout")).content.decode()


def _box_label(page: str, question: Question) -> str:
    found = re.search(rf'<label for="id_written_consent_{question.pk}">(.*?)</label>', page, re.S)
    assert found, "no separate consent box for the question"
    return found.group(1)


def test_checkout_asks_separately_and_refuses_the_answer_without_it(
    client, event, special_question
):
    page = _checkout_page(client, event)
    label = _box_label(page, special_question)
    assert "отдельное письменное согласие" in label and "ТОО «Марафон Алматы»" in label
    assert "«Медицинская справка»" in shown_text(page)  # the main text mentions it too
    key = idempotency_key(client)
    upload = SimpleUploadedFile("note.png", PNG, content_type="image/png")
    response = client.post(
        reverse("tickets:checkout"), buyer_data(key, **{f"q_{special_question.pk}": upload})
    )
    assert response.status_code == 400
    assert "Для этого ответа нужно ваше отдельное письменное согласие" in response.content.decode()
    assert not Order.objects.exists() and not ConsentRecord.objects.exists()


def test_a_written_consent_given_is_recorded_with_its_text_and_question(
    client, event, special_question
):
    page = _checkout_page(client, event)
    label = _box_label(page, special_question)
    key = idempotency_key(client)
    upload = SimpleUploadedFile("note.png", PNG, content_type="image/png")
    data = buyer_data(
        key,
        **{f"q_{special_question.pk}": upload, f"written_consent_{special_question.pk}": "on"},
    )
    assert client.post(reverse("tickets:checkout"), data).status_code == 302
    order = Order.objects.get()
    assert Answer.objects.get(order=order).file_name == "note.png"
    row = ConsentRecord.objects.get(purpose="special_category")
    assert row.wording == label
    assert row.source == f"order:{order.code}:question:{special_question.pk}"
    assert (row.action, row.channel, row.email) == ("given", "site", "aigerim@example.kz")


def test_no_written_consent_is_asked_for_an_optional_answer_left_empty(
    client, event, special_question
):
    _checkout_page(client, event)
    key = idempotency_key(client)
    assert client.post(reverse("tickets:checkout"), buyer_data(key)).status_code == 302
    assert not ConsentRecord.objects.filter(purpose="special_category").exists()


def test_withdrawing_all_consent_also_withdraws_the_written_one(client, event, special_question):
    from privacy.services import consent_is_live, processing_consent_withdraw
    from tests.factories import UserFactory

    buyer = UserFactory(email="aigerim@example.kz")
    client.force_login(buyer)
    _checkout_page(client, event)
    key = idempotency_key(client)
    upload = SimpleUploadedFile("note.png", PNG, content_type="image/png")
    data = buyer_data(
        key,
        **{f"q_{special_question.pk}": upload, f"written_consent_{special_question.pk}": "on"},
    )
    assert client.post(reverse("tickets:checkout"), data).status_code == 302
    assert consent_is_live(purpose="special_category", user=buyer)
    processing_consent_withdraw(user=buyer)
    assert not consent_is_live(purpose="special_category", user=buyer)
    assert not consent_is_live(purpose="processing_and_transfer", user=buyer)


def test_a_kazakh_or_english_label_is_read_too(owner_client, event):
    data = {"label": "Номер", "label_kk": "Жеке куәлігіңіздің нөмірі", "kind": "text"}
    response = owner_client.post(_questions_url(event), data)
    assert response.status_code == 400 and not Question.objects.exists()

"""The sales path answering the privacy app: blocked buyers, access requests, order lookups."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from privacy.services.access import subject_data_collect
from privacy.services.blocking import subject_from_order_code
from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.factories import QuestionFactory
from tests.tickets.flows import place_order
from tests.tickets.helpers import PNG
from tickets.models import Answer, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    tt = TicketTypeFactory(price=Decimal("5000"))
    order = place_order({tt: 1}, email="aigerim@example.kz")
    question = QuestionFactory(event=tt.session.event, kind=Question.Kind.FILE, label="Справка")
    answer = Answer(
        order=order, question=question, file_name="scan.png", file_content_type="image/png"
    )
    answer.file.save("scan.png", SimpleUploadedFile("scan.png", PNG), save=False)
    answer.save()
    return order


def test_cabinet_masks_a_blocked_buyer_and_hides_their_files(client, order):
    organizer = order.event.organizer
    client.force_login(MembershipFactory(organizer=organizer).user)
    detail = reverse("tickets:cabinet_order", args=[organizer.slug, order.code])
    listing = reverse("tickets:cabinet_orders", args=[organizer.slug])
    answer_id = order.answers.get().pk
    download = reverse(
        "tickets:cabinet_order_attachment", args=[organizer.slug, order.code, answer_id]
    )
    own_download = reverse("tickets:attachment_download", args=[order.code, answer_id])
    assert "aigerim@example.kz" in client.get(listing).content.decode()
    assert client.get(download).status_code == 200
    # the team never uses the buyer's own page or links
    assert client.get(own_download).status_code == 404

    make_blocked(staff=UserFactory(is_staff=True), email="aigerim@example.kz")
    for url in (listing, detail):
        html = client.get(url).content.decode()
        assert "aigerim@example.kz" not in html
        assert "a***@e***.kz" in html
    assert "scan.png" not in client.get(detail).content.decode()
    assert client.get(download).status_code == 404
    # the buyer keeps their own file
    buyer = client.__class__()
    assert buyer.get(own_download + f"?s={order.secret}").status_code == 200


def test_privacy_finds_the_subject_of_an_order_code(order):
    found = subject_from_order_code(order.code.lower())
    assert found["email"] == "aigerim@example.kz"
    assert found["phone"] == "+77011234567"
    assert found["name"] == "Иванов Иван"


def test_access_request_includes_orders_tickets_and_answers(order):
    data = subject_data_collect(email="aigerim@example.kz")
    text = str(data)
    assert order.code in text
    assert "scan.png" in text
    assert "+77011234567" in text


def test_blocked_buyer_marketing_opt_in_is_not_recorded():
    from privacy.models import ConsentRecord
    from tests.tickets.factories import new_token
    from tickets.services.cart import cart_set_quantities
    from tickets.services.orders import BuyerDetails, ConsentInput, order_create

    make_blocked(staff=UserFactory(is_staff=True), email="blocked@example.kz")
    tt = TicketTypeFactory()
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 1})
    order = order_create(
        cart_token=token,
        idempotency_key=new_token(),
        buyer=BuyerDetails(surname="А", name="Б", phone="+77011234567", email="blocked@example.kz"),
        consent=ConsentInput(processing_wording="Согласен", marketing=True, marketing_wording="Да"),
    )
    assert list(ConsentRecord.objects.values_list("purpose", flat=True)) == [
        "processing_and_transfer"
    ]
    assert order.marketing_consent is False

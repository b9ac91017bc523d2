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


@pytest.mark.parametrize(
    "blocked_by",
    [{"email": "Blocked@Example.kz"}, {"phone": "8 (701) 555-44-33"}, {"account": True}],
    ids=["email", "phone", "account"],
)
def test_a_blocked_subject_cannot_place_an_order_and_nothing_is_written(blocked_by):
    from privacy.models import BlockingRequest, ConsentRecord
    from privacy.services import blocking_request_create
    from tests.tickets.factories import new_token
    from tickets.errors import BuyerDataBlocked
    from tickets.models import Order, Reservation
    from tickets.services.cart import cart_set_quantities
    from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create

    account = UserFactory(email="someone@example.kz")
    # only received, not yet acted on by staff: it blocks already
    blocking_request_create(
        request=BlockingRequest(
            requester_kind=BlockingRequest.RequesterKind.SUBJECT,
            requester_name="Айгерим",
            grounds=BlockingRequest.Grounds.UNLAWFUL,
            subject_email=blocked_by.get("email", ""),
            subject_phone=blocked_by.get("phone", ""),
            subject_user=account if blocked_by.get("account") else None,
        )
    )
    tt = TicketTypeFactory()
    token = new_token()
    cart_set_quantities(cart_token=token, quantities={tt.pk: 1})
    with pytest.raises(BuyerDataBlocked) as refused:
        order_create(
            cart_token=token,
            idempotency_key=new_token(),
            buyer=BuyerDetails(
                surname="А", name="Б", phone="+7 701 555 44 33", email="blocked@example.kz"
            ),
            consent=ConsentInput(processing_wording="Согласен", marketing=True),
            user=account,
        )
    assert "info@eventum.one" in str(refused.value.message)
    assert not Order.objects.exists() and not ConsentRecord.objects.exists()
    assert Reservation.objects.filter(released_at__isnull=True).count() == 1  # still held

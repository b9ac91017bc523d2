"""Buying through the API: holds and their release, checkout through the site's order service
with the policy consent on the API channel, idempotency, refusals with codes, payment start,
and a scripted mobile app from sign-up to the ticket's QR payload."""

import re
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core import mail

from events.models import TicketType
from privacy.models import ConsentRecord
from tests.factories import SessionFactory, TicketTypeFactory, UserFactory
from tests.tickets.factories import QuestionFactory
from tickets.models import Answer, Order, Question
from tickets.qr import qr_payload

pytestmark = pytest.mark.django_db
APP = "/_allauth/app/v1"


def _buyer(**extra):
    return {
        "surname": "Иванов",
        "name": "Иван",
        "phone": "+77011234567",
        "email": "ivan@example.kz",
        **extra,
    }


def _consent(client, policy, **extra):
    digest = client.get("/api/v1/me/checkout/consent").json()["digest"]
    return {"policy_version": policy.version, "digest": digest, "processing": True, **extra}


def _checkout(client, policy, **extra):
    body = {
        "idempotency_key": uuid.uuid4().hex,
        "buyer": _buyer(),
        **extra,
    }
    if "consent" not in body:
        body["consent"] = _consent(client, policy)
    return client.post(
        "/api/v1/me/checkout",
        body,
        content_type="application/json",
        **{"HTTP_X_APP_NAME": "Kassa iOS 2.3"},
    )


@pytest.fixture
def buyer_client(client, policy):
    client.buyer = UserFactory(email="ivan@example.kz")
    client.force_login(client.buyer)
    return client


@pytest.fixture
def ticket_type():
    return TicketTypeFactory(price=Decimal("5000"), quantity=10, max_per_order=4)


def _hold(client, quantities):
    return client.put(
        "/api/v1/me/cart",
        {"quantities": {str(k.pk): v for k, v in quantities.items()}},
        content_type="application/json",
    )


def test_hold_and_release_take_and_give_back_tickets(buyer_client, ticket_type):
    body = _hold(buyer_client, {ticket_type: 3}).json()
    assert [(line["ticket_type_id"], line["quantity"]) for line in body["lines"]] == [
        (ticket_type.pk, 3)
    ]
    assert body["total"] == "15000.00" and body["seconds_left"] > 0
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_taken == 3
    assert buyer_client.get("/api/v1/me/cart").json()["total"] == "15000.00"
    released = buyer_client.delete("/api/v1/me/cart").json()
    assert released["lines"] == []
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_taken == 0


def test_refusals_have_codes(buyer_client, ticket_type):
    response = _hold(buyer_client, {ticket_type: 5})
    assert (response.status_code, response.json()["error"]) == (409, "order_limit_exceeded")
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity_taken=9)
    response = _hold(buyer_client, {ticket_type: 2})
    assert (response.status_code, response.json()["error"]) == (409, "sold_out")
    response = buyer_client.put(
        "/api/v1/me/cart", {"quantities": {"x": 1}}, content_type="application/json"
    )
    assert response.json()["error"] == "invalid_request"
    promo = buyer_client.put(
        "/api/v1/me/cart/promo", {"code": "NOPE"}, content_type="application/json"
    )
    assert promo.json()["error"] == "promo_code_invalid"


def test_checkout_makes_the_order_and_records_the_consent_on_the_api_channel(
    buyer_client, ticket_type, policy
):
    _hold(buyer_client, {ticket_type: 2})
    response = _checkout(buyer_client, policy)
    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get(code=body["code"])
    assert order.user == buyer_client.buyer
    assert order.status == Order.Status.PENDING and body["total"] == "10000.00"
    consent = ConsentRecord.objects.get(source__startswith=f"order:{order.code}")
    notice = buyer_client.get("/api/v1/me/checkout/consent")
    assert notice.json()["error"] == "cart_empty"  # the cart became the order
    assert consent.channel == ConsentRecord.Channel.API
    assert "Иванов" not in consent.wording and order.event.organizer.legal_name in consent.wording
    assert consent.source == f"order:{order.code} (app: Kassa iOS 2.3)"
    assert consent.policy_version == policy
    assert consent.purpose == ConsentRecord.Purpose.PROCESSING_AND_TRANSFER
    assert buyer_client.get("/api/v1/me/cart").json()["lines"] == []


def test_checkout_twice_with_one_key_is_one_order(buyer_client, ticket_type, policy):
    _hold(buyer_client, {ticket_type: 1})
    consent = _consent(buyer_client, policy)
    key = uuid.uuid4().hex
    first = _checkout(buyer_client, policy, idempotency_key=key, consent=consent)
    again = _checkout(buyer_client, policy, idempotency_key=key, consent=consent)  # a retry
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Order.objects.count() == 1


def test_checkout_needs_the_current_policy_and_the_consent(buyer_client, ticket_type, policy):
    _hold(buyer_client, {ticket_type: 1})
    old = _checkout(
        buyer_client, policy, consent={**_consent(buyer_client, policy), "policy_version": "1"}
    )
    assert (old.status_code, old.json()["error"]) == (409, "policy_outdated")
    other_text = _checkout(
        buyer_client, policy, consent={**_consent(buyer_client, policy), "digest": "0" * 16}
    )
    assert (other_text.status_code, other_text.json()["error"]) == (409, "consent_changed")
    refused = _checkout(
        buyer_client, policy, consent=_consent(buyer_client, policy, processing=False)
    )
    assert (refused.status_code, refused.json()["error"]) == (422, "invalid_checkout")
    assert refused.json()["details"][0]["loc"] == ["body", "consent_processing"]
    assert not Order.objects.exists()
    assert not ConsentRecord.objects.filter(source__startswith="order:").exists()


def test_answers_with_a_file_reach_the_order(buyer_client, ticket_type, policy):
    event = ticket_type.session.event
    question = QuestionFactory(event=event, kind=Question.Kind.FILE, required=True)
    _hold(buyer_client, {ticket_type: 1})
    missing = _checkout(buyer_client, policy)
    assert missing.json()["error"] == "invalid_checkout"
    import base64

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()
    response = _checkout(
        buyer_client,
        policy,
        answers=[{"question_id": question.pk, "file_name": "scan.png", "file_base64": png}],
    )
    assert response.status_code == 201, response.json()
    answer = Answer.objects.get(order__code=response.json()["code"])
    assert answer.file_content_type == "image/png"


def test_payment_start_returns_the_providers_page(buyer_client, ticket_type, policy):
    _hold(buyer_client, {ticket_type: 1})
    code = _checkout(buyer_client, policy).json()["code"]
    response = buyer_client.post(
        f"/api/v1/orders/{code}/payment", {"provider": "test"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert "/pay/test/" in response.json()["redirect_url"]
    unknown = buyer_client.post(
        f"/api/v1/orders/{code}/payment", {"provider": "x"}, content_type="application/json"
    )
    assert unknown.json()["error"] == "unknown_provider"
    buyer_client.force_login(UserFactory())
    other = buyer_client.post(
        f"/api/v1/orders/{code}/payment", {"provider": "test"}, content_type="application/json"
    )
    assert other.status_code == 404


def test_policy_endpoint_gives_the_version_and_texts(client, policy):
    body = client.get("/api/v1/policy", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["version"] == policy.version
    assert "news and offers" in body["marketing_consent"]


def test_a_mobile_app_signs_up_buys_and_reads_its_qr_code(
    client, policy, django_capture_on_commit_callbacks
):
    """Everything through the API but the payment provider's own page."""
    ticket_type = TicketTypeFactory(session=SessionFactory(), price=Decimal("7000"), quantity=5)
    headers = {"HTTP_X_APP_NAME": "Kassa Android 1.0"}
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            f"{APP}/auth/signup",
            {"email": "phone@example.kz", "password": "a-long-pass-31x"},
            content_type="application/json",
            **headers,
        )
    token = signup.json()["meta"]["session_token"]
    key = re.search(r"/confirm-email/([^/\s]+)/", mail.outbox[-1].body).group(1)
    verified = client.post(
        f"{APP}/auth/email/verify",
        {"key": key},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert verified.status_code == 200
    client.cookies.clear()
    headers["HTTP_X_SESSION_TOKEN"] = verified.json()["meta"].get("session_token", token)

    event = client.get("/api/v1/events", **headers).json()["items"][0]
    detail = client.get(f"/api/v1/events/{event['slug']}", **headers).json()
    type_id = detail["sessions"][0]["ticket_types"][0]["id"]
    assert type_id == ticket_type.pk
    held = client.put(
        "/api/v1/me/cart",
        {"quantities": {str(type_id): 1}},
        content_type="application/json",
        **headers,
    )
    assert held.status_code == 200
    version = client.get("/api/v1/policy", **headers).json()["version"]
    notice = client.get("/api/v1/me/checkout/consent", **headers).json()
    order = client.post(
        "/api/v1/me/checkout",
        {
            "idempotency_key": uuid.uuid4().hex,
            "buyer": _buyer(email="phone@example.kz"),
            "consent": {
                "policy_version": version,
                "digest": notice["digest"],
                "processing": True,
            },
        },
        content_type="application/json",
        **headers,
    ).json()
    pay = client.post(
        f"/api/v1/orders/{order['code']}/payment",
        {"provider": "test"},
        content_type="application/json",
        **headers,
    ).json()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay["redirect_url"], {"decision": "approve"})  # the provider's page
    client.cookies.clear()
    status = client.get(f"/api/v1/orders/{order['code']}/status", **headers).json()
    assert status["status"] == "paid"
    paid = client.get(f"/api/v1/orders/{order['code']}", **headers).json()
    item = Order.objects.get(code=order["code"]).items.get()
    assert paid["tickets"][0]["qr_payload"] == qr_payload(item)
    pdf = client.get(f"/api/v1/orders/{order['code']}/tickets.pdf", **headers)
    assert pdf.status_code == 200 and b"".join(
        pdf.streaming_content if pdf.streaming else [pdf.content]
    ).startswith(b"%PDF")
    user = User.objects.get(email="phone@example.kz")
    channels = set(ConsentRecord.objects.filter(user=user).values_list("channel", flat=True))
    assert channels == {ConsentRecord.Channel.API}


def test_a_question_needing_written_consent_records_it_separately(
    buyer_client, ticket_type, policy
):
    question = QuestionFactory(
        event=ticket_type.session.event,
        kind=Question.Kind.TEXT,
        required=False,
        needs_written_consent=True,
    )
    _hold(buyer_client, {ticket_type: 1})
    notice = buyer_client.get("/api/v1/me/checkout/consent").json()
    assert [w["question_id"] for w in notice["written_consents"]] == [question.pk]
    without = _checkout(
        buyer_client, policy, answers=[{"question_id": question.pk, "value": "Астма"}]
    )
    assert without.json()["error"] == "invalid_checkout"
    response = _checkout(
        buyer_client,
        policy,
        answers=[{"question_id": question.pk, "value": "Астма", "written_consent": True}],
    )
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    written = ConsentRecord.objects.get(source=f"order:{code}:question:{question.pk}")
    assert written.channel == ConsentRecord.Channel.API
    assert written.wording == notice["written_consents"][0]["text"]


COMPANY = {
    "legal_name": "ТОО «Алтын Дала»",
    "bin_iin": "1903 4001 2348",
    "legal_address": "г. Астана, ул. Кенесары, 40",
    "holder_names": ["Болат Нурланов"],
}


def test_checkout_for_an_organisation(buyer_client, policy):
    ticket_type = TicketTypeFactory(
        session=SessionFactory(event__allow_company_purchases=True), price=Decimal("5000")
    )
    _hold(buyer_client, {ticket_type: 2})
    response = _checkout(buyer_client, policy, company=COMPANY)
    assert response.status_code == 201, response.json()
    order = Order.objects.get(code=response.json()["code"])
    assert (order.company.legal_name, order.company.bin_iin) == (
        "ТОО «Алтын Дала»",
        "190340012348",
    )
    assert list(order.items.order_by("id").values_list("holder_name", flat=True)) == [
        "Болат Нурланов",
        "",
    ]
    # the organisation is saved for the account's next checkout
    assert buyer_client.buyer.saved_organisations.get().bin_iin == "190340012348"


def test_checkout_for_an_organisation_is_refused_with_reasons(buyer_client, policy, ticket_type):
    _hold(buyer_client, {ticket_type: 1})
    response = _checkout(buyer_client, policy, company=COMPANY)  # the event does not allow it
    assert (response.status_code, response.json()["error"]) == (
        422,
        "company_purchase_not_allowed",
    )
    ticket_type.session.event.allow_company_purchases = True
    ticket_type.session.event.save(update_fields=["allow_company_purchases"])
    response = _checkout(buyer_client, policy, company={**COMPANY, "bin_iin": "190340012349"})
    assert (response.status_code, response.json()["error"]) == (422, "invalid_checkout")
    assert response.json()["details"][0]["loc"] == ["body", "company_bin"]
    response = _checkout(buyer_client, policy, company={**COMPANY, "holder_names": ["А", "Б"]})
    assert (response.status_code, response.json()["error"]) == (422, "too_many_holder_names")
    assert not Order.objects.exists()

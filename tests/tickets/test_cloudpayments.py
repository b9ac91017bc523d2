"""CloudPayments against recorded notification bodies (no network)."""

import base64
import dataclasses
import hashlib
import hmac
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from events.models import TicketType
from privacy.models import IpEvent
from tests.factories import TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.errors import RefundError
from tickets.models import Order, Payment, PaymentNotification, Refund
from tickets.payments import cloudpayments
from tickets.payments.services import payment_start
from tickets.reports.models import EventSalesDay
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "test-api-secret-7d1f"


@pytest.fixture(autouse=True)
def _credentials(settings):
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk_test_eventum"
    settings.CLOUDPAYMENTS_API_SECRET = SECRET
    settings.TICKETS_PAYMENT_PROVIDERS = ["cloudpayments"]


class FakeApi:
    """Stands in for api.cloudpayments.ru: records calls, answers like the documented API."""

    def __init__(self, *, refund_ok: bool = True) -> None:
        self.calls: list[tuple[str, dict, tuple[str, str]]] = []
        self.refund_ok = refund_ok

    def __call__(self, url: str, payload: dict, auth: tuple[str, str]) -> dict:
        self.calls.append((url, payload, auth))
        if url.endswith("/orders/create"):
            return {
                "Success": True,
                "Message": None,
                "Model": {
                    "Id": "f2K8LV6reGE9WBFn",
                    "Url": "https://orders.cloudpayments.ru/d/f2K8LV6reGE9WBFn",
                },
            }
        if url.endswith("/payments/refund"):
            if not self.refund_ok:
                return {"Success": False, "Message": "Refund amount exceeds payment"}
            return {"Success": True, "Message": None, "Model": {"TransactionId": 2871145099}}
        raise AssertionError(url)


@pytest.fixture
def api(monkeypatch):
    fake = FakeApi()

    def client():
        return cloudpayments.CloudPaymentsClient(
            public_id="pk_test_eventum",
            api_secret=SECRET,
            base_url="https://api.cloudpayments.ru",
            transport=fake,
        )

    monkeypatch.setattr(cloudpayments, "default_client", client)
    return fake


@pytest.fixture
def ticket_type():
    return TicketTypeFactory(price=Decimal("5000"), quantity=10)


@pytest.fixture
def order(ticket_type):
    order = place_order({ticket_type: 2})
    Order.objects.filter(pk=order.pk).update(code="K7QX2M9A")  # the recorded InvoiceId
    order.refresh_from_db()
    assert order.total == Decimal("10000.00")
    return order


def _sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _notify(
    client, kind: str, name: str, *, secret: str = SECRET, header="HTTP_CONTENT_HMAC", body=None
):
    body = body if body is not None else (PAYLOADS / name).read_bytes()
    content_type = (
        "application/json" if name.endswith(".json") else ("application/x-www-form-urlencoded")
    )
    return client.post(
        reverse("tickets:cloudpayments_notification", args=[kind]),
        data=body,
        content_type=content_type,
        **{header: _sign(body, secret)},
    )


def test_check_accepts_a_pending_order_with_the_right_amount(client, order):
    response = _notify(client, "check", "check.txt")
    assert response.status_code == 200
    assert response.json() == {"code": 0}
    note = PaymentNotification.objects.get()
    assert (note.kind, note.signature_valid, note.order) == ("check", True, order)


def test_check_rejects_a_wrong_amount(client, order):
    body = (PAYLOADS / "check.txt").read_bytes().replace(b"Amount=10000.00", b"Amount=100.00")
    response = _notify(client, "check", "check.txt", body=body)
    assert response.json() == {"code": 12}
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_check_rejects_an_unknown_invoice(client, order):
    body = (PAYLOADS / "check.txt").read_bytes().replace(b"K7QX2M9A", b"ZZZZZZZZ")
    assert _notify(client, "check", "check.txt", body=body).json() == {"code": 10}


def test_pay_marks_the_order_paid_once(client, order, api):
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    first = _notify(client, "pay", "pay.txt")
    assert first.json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.provider_transaction_id == "2871145001"
    second = _notify(client, "pay", "pay.txt")
    assert second.json() == {"code": 0}
    assert Payment.objects.count() == 1
    assert order.log.filter(to_status="paid").count() == 1
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["paid", "duplicate: already applied"]


def test_a_twin_pay_that_won_the_race_makes_this_one_a_duplicate_writing_nothing(
    client, order, api, monkeypatch
):
    """Two deliveries of one Pay both find its transaction unknown; the one that commits
    second fails on the transaction's unique id. Its whole transaction is rolled back (no
    second payment, no second log) and it is answered as the duplicate it is."""
    from tickets.payments import callbacks

    _notify(client, "pay", "pay.txt")
    real_reads = callbacks.pay_notification_reads

    def reads_before_the_twin_committed(**kwargs):
        found = real_reads(**kwargs)
        return dataclasses.replace(found, transaction_known=False)

    monkeypatch.setattr(callbacks, "pay_notification_reads", reads_before_the_twin_committed)
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    assert Payment.objects.count() == 1
    assert order.log.filter(to_status="paid").count() == 1
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["paid", "duplicate: already applied"]
    assert PaymentNotification.objects.last().order == order


def test_pay_in_json_signed_in_x_content_hmac_is_accepted(client, order):
    response = _notify(client, "pay", "pay.json", header="HTTP_X_CONTENT_HMAC")
    assert response.json() == {"code": 0}
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_bad_signature_is_refused_audited_and_changes_nothing(client, order):
    response = _notify(client, "pay", "pay.txt", secret="not-the-secret")
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert not Payment.objects.exists()
    note = PaymentNotification.objects.get()
    assert note.signature_valid is False
    assert note.outcome == "bad signature"
    assert "2871145001" in note.body


def test_unsigned_notification_is_refused(client, order):
    body = (PAYLOADS / "pay.txt").read_bytes()
    response = client.post(
        reverse("tickets:cloudpayments_notification", args=["pay"]),
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_pay_with_wrong_currency_or_amount_does_not_pay(client, order):
    body = (PAYLOADS / "pay.txt").read_bytes().replace(b"Currency=KZT", b"Currency=USD")
    response = _notify(client, "pay", "pay.txt", body=body)
    assert response.json() == {"code": 12}
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert order.needs_review is True


def test_fail_marks_the_payment_failed_and_keeps_the_order_pending(client, order, api):
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    assert _notify(client, "fail", "fail.txt").json() == {"code": 0}
    assert Payment.objects.get().status == Payment.Status.FAILED
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_starting_a_payment_creates_a_cloudpayments_order(client, order, api):
    response = client.post(
        reverse("tickets:order_pay", args=[order.code]),
        {"provider": "cloudpayments", "s": order.secret},
    )
    assert response.status_code == 302
    assert response["Location"] == "https://orders.cloudpayments.ru/d/f2K8LV6reGE9WBFn"
    url, payload, auth = api.calls[0]
    assert url == "https://api.cloudpayments.ru/orders/create"
    assert payload["InvoiceId"] == "K7QX2M9A"
    assert payload["Amount"] == 10000.0 and payload["Currency"] == "KZT"
    assert payload["SuccessRedirectUrl"].endswith(order.get_absolute_url())
    assert auth == ("pk_test_eventum", SECRET)
    assert SECRET not in response.content.decode()
    # what was sent, to whom and to which country is in the disclosure log
    from privacy.models import Disclosure

    disclosure = Disclosure.objects.get(channel="payment")
    assert disclosure.recipient == "CloudPayments Kazakhstan (KZ)"
    assert disclosure.fields == ["email"] and payload["Email"] == order.email
    assert list(disclosure.subjects.values_list("subject", flat=True)) == [order.email]


def test_organizer_refund_calls_the_api_and_its_notification_is_not_applied_twice(
    client, order, api, ticket_type
):
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    _notify(client, "pay", "pay.txt")
    item = order.items.first()
    order_refund(order_id=order.pk, actor=Actor(label="organizer"), item_ids=[item.pk])
    url, payload, _auth = api.calls[-1]
    assert url == "https://api.cloudpayments.ru/payments/refund"
    assert payload == {"TransactionId": 2871145001, "Amount": 5000.0}
    refund = Refund.objects.get()
    assert (refund.amount, refund.provider_refund_id) == (Decimal("5000.00"), "2871145099")
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 1
    # CloudPayments then reports the refund it made for us: nothing changes
    body = (PAYLOADS / "refund.txt").read_bytes().replace(b"Amount=10000.00", b"Amount=5000.00")
    assert _notify(client, "refund", "refund.txt", body=body).json() == {"code": 0}
    assert Refund.objects.count() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.refunded_amount == Decimal("5000.00")


def test_refund_made_in_the_back_office_is_recorded_once(client, order, api, ticket_type):
    _notify(client, "pay", "pay.txt")
    for _n in range(2):
        assert _notify(client, "refund", "refund.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.refunded_amount == Decimal("10000.00")
    assert Refund.objects.get().provider_refund_id == "2871145099"
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 0
    assert not [c for c in api.calls if c[0].endswith("/payments/refund")]


def test_refused_refund_changes_nothing(client, order, api, ticket_type):
    _notify(client, "pay", "pay.txt")
    api.refund_ok = False
    with pytest.raises(RefundError):
        order_refund(order_id=order.pk, actor=Actor(label="organizer"))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not Refund.objects.exists()
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 2


def test_unknown_notification_kind_is_404(client):
    url = reverse("tickets:cloudpayments_notification", args=["recurrent"])
    assert client.post(url, data=b"", content_type="application/json").status_code == 404


def test_notification_body_json_and_form_parse_the_same():
    form = cloudpayments.notification_data(
        (PAYLOADS / "pay.txt").read_bytes(), "application/x-www-form-urlencoded"
    )
    data = cloudpayments.notification_data((PAYLOADS / "pay.json").read_bytes(), "application/json")
    assert form == data
    assert json.loads((PAYLOADS / "pay.json").read_text())["IpCity"] == "Алматы"


def test_check_rejects_an_order_that_is_no_longer_pending(client, order):
    _notify(client, "pay", "pay.txt")
    assert _notify(client, "check", "check.txt").json() == {"code": 13}


# --- notifications out of order, late, twice ------------------------------------------------


def _expire(order) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tickets.services.order_lifecycle import order_expire

    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(seconds=1))
    assert order_expire(order_id=order.pk) is True


def _taken(ticket_type) -> int:
    return TicketType.objects.get(pk=ticket_type.pk).quantity_taken


def _refund_calls(api) -> list[dict]:
    return [payload for url, payload, _auth in api.calls if url.endswith("/payments/refund")]


def test_fail_after_pay_changes_nothing(client, order, api):
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    _notify(client, "pay", "pay.txt")
    assert _notify(client, "fail", "fail.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED


def test_pay_after_fail_pays_the_order_and_keeps_the_failed_attempt(client, order, api):
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    _notify(client, "fail", "fail.txt")
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.needs_review is False
    statuses = sorted(Payment.objects.values_list("status", flat=True))
    assert statuses == [Payment.Status.FAILED, Payment.Status.SUCCEEDED]
    assert order.log.filter(to_status="paid").count() == 1


def test_refund_before_its_pay_cancels_the_order_and_the_late_pay_sells_nothing(
    client, order, api, ticket_type
):
    assert _taken(ticket_type) == 2
    assert _notify(client, "refund", "refund.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert _taken(ticket_type) == 0
    payment = Payment.objects.get()
    assert (payment.status, payment.provider_transaction_id) == ("succeeded", "2871145001")
    refund = Refund.objects.get()
    assert (refund.payment, refund.amount, refund.provider_refund_id) == (
        payment,
        Decimal("10000.00"),
        "2871145099",
    )
    # the Pay notification arrives last: a duplicate, nothing is sold or charged again
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert _taken(ticket_type) == 0
    assert Payment.objects.count() == 1
    assert not _refund_calls(api)
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["refund before its payment: both recorded", "duplicate: already applied"]


def test_late_pay_takes_the_tickets_again_when_they_are_still_free(client, order, api, ticket_type):
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    _expire(order)
    assert _taken(ticket_type) == 0
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert _taken(ticket_type) == 2
    assert not Refund.objects.exists()
    assert not _refund_calls(api)
    assert PaymentNotification.objects.get().outcome == "paid"


@pytest.fixture
def sold_meanwhile(order, ticket_type):
    """The order expired and another buyer took every ticket of its type."""
    from tests.tickets.flows import place_order

    payment_start(order_id=order.pk, provider_name="cloudpayments")
    _expire(order)
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity=2)
    other = place_order({ticket_type: 2}, email="other@example.kz")
    assert _taken(ticket_type) == 2
    return other


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("ru", "Заказ K7QX2M9A: ваш платёж возвращён", "билеты тем временем купили"),
        ("kk", "K7QX2M9A тапсырысы: төлеміңіз қайтарылды", "билеттерді басқа"),
        ("en", "Order K7QX2M9A: your payment is refunded", "sold to other buyers"),
    ],
)
def test_late_pay_for_sold_out_tickets_is_refunded_and_the_buyer_told(
    client,
    order,
    api,
    ticket_type,
    sold_meanwhile,
    mailoutbox,
    django_capture_on_commit_callbacks,
    language,
    subject,
    phrase,
):
    Order.objects.filter(pk=order.pk).update(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert _taken(ticket_type) == 2, "the other buyer's tickets are not sold twice"
    assert not order.items.filter(order__status=Order.Status.PAID).exists()
    payment = Payment.objects.get(provider_transaction_id="2871145001")
    assert payment.status == Payment.Status.SUCCEEDED, "the money that came in is on record"
    assert _refund_calls(api) == [{"TransactionId": 2871145001, "Amount": 10000.0}]
    refund = Refund.objects.get()
    assert (refund.payment, refund.amount, refund.provider_refund_id) == (
        payment,
        Decimal("10000.00"),
        "2871145099",
    )
    assert order.refunded_amount == Decimal("10000.00")
    assert PaymentNotification.objects.get().outcome == "paid after expiry, tickets gone: refunded"
    [letter] = [m for m in mailoutbox if m.to == [order.email]]
    assert letter.subject == subject
    assert phrase in letter.body
    assert "10\xa0000" in letter.body
    # the same Pay again, and then CloudPayments' report of our refund: nothing more happens
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    assert _notify(client, "refund", "refund.txt").json() == {"code": 0}
    assert len(_refund_calls(api)) == 1
    assert Refund.objects.count() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED


def test_late_pay_whose_refund_is_refused_is_flagged_and_nothing_sold(
    client, order, api, ticket_type, sold_meanwhile, mailoutbox
):
    api.refund_ok = False
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert order.needs_review is True
    assert "refund failed" in order.review_reason
    assert not Refund.objects.exists()
    assert _taken(ticket_type) == 2
    assert mailoutbox == []
    assert PaymentNotification.objects.get().outcome == "paid after expiry, refund failed: flagged"


def test_pay_for_an_order_the_buyer_cancelled_is_refunded(client, order, api, ticket_type):
    from tickets.services.order_lifecycle import order_cancel

    payment_start(order_id=order.pk, provider_name="cloudpayments")
    order_cancel(order_id=order.pk, actor=Actor(label="buyer"))
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert _taken(ticket_type) == 0
    assert Refund.objects.get().amount == Decimal("10000.00")
    assert len(_refund_calls(api)) == 1


# --- a refund of a payment we have no record of -----------------------------------------------

UNKNOWN_REFUND = (
    (PAYLOADS / "refund.txt")
    .read_bytes()
    .replace(b"TransactionId=2871145099", b"TransactionId=2871145098")
    .replace(b"PaymentTransactionId=2871145001", b"PaymentTransactionId=2871145777")
)


def _paid_by_cloudpayments(client, order, ticket_type) -> Order:
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and _taken(ticket_type) == 2
    return order


def _assert_still_paid_and_nothing_invented(order, ticket_type, payments: int) -> None:
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.refunded_amount == Decimal("0.00")
    assert set(order.items.values_list("status", flat=True)) == {"valid"}
    assert _taken(ticket_type) == 2
    assert Payment.objects.count() == payments
    assert not Payment.objects.filter(provider_transaction_id="2871145777").exists()
    assert not Refund.objects.exists()


def test_refund_of_an_unknown_payment_of_a_paid_order_is_flagged_and_records_nothing(
    client, order, api, ticket_type
):
    _paid_by_cloudpayments(client, order, ticket_type)
    response = _notify(client, "refund", "refund.txt", body=UNKNOWN_REFUND)
    assert response.status_code == 200 and response.json() == {"code": 0}
    _assert_still_paid_and_nothing_invented(order, ticket_type, payments=1)
    flagged = PaymentNotification.objects.get(needs_review=True)
    assert (flagged.kind, flagged.order, flagged.transaction_id) == ("refund", order, "2871145098")
    assert "2871145777" in flagged.outcome and "flagged for review" in flagged.outcome
    assert order.needs_review is True
    assert "2871145098" in order.review_reason and "nothing recorded" in order.review_reason
    entry = order.log.order_by("id").last()
    assert (entry.from_status, entry.to_status, entry.actor_label) == (
        "paid",
        "paid",
        "cloudpayments",
    )
    assert "flagged for staff review" in entry.note
    assert not _refund_calls(api)
    # CloudPayments sends it again: answered the same, not flagged or logged twice
    log_entries = order.log.count()
    assert _notify(client, "refund", "refund.txt", body=UNKNOWN_REFUND).json() == {"code": 0}
    _assert_still_paid_and_nothing_invented(order, ticket_type, payments=1)
    assert PaymentNotification.objects.filter(needs_review=True).count() == 1
    assert PaymentNotification.objects.filter(kind="refund").count() == 2
    assert order.log.count() == log_entries


def test_refund_of_a_payment_when_the_order_was_paid_another_way_is_flagged(
    client, order, ticket_type
):
    from tests.tickets.reports_data import pay

    pay(order)  # the test provider: no CloudPayments transaction on record
    assert _notify(client, "refund", "refund.txt").json() == {"code": 0}
    _assert_still_paid_and_nothing_invented(order, ticket_type, payments=1)
    assert PaymentNotification.objects.get().needs_review is True
    order.refresh_from_db()
    assert order.needs_review is True


def test_refund_for_an_unknown_invoice_is_flagged_without_an_order(client, order):
    body = UNKNOWN_REFUND.replace(b"InvoiceId=K7QX2M9A", b"InvoiceId=NOSUCH00")
    assert _notify(client, "refund", "refund.txt", body=body).json() == {"code": 0}
    notification = PaymentNotification.objects.get()
    assert notification.needs_review is True and notification.order is None
    assert not Payment.objects.exists() and not Refund.objects.exists()
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and order.needs_review is False


def test_a_bad_signature_on_an_unknown_refund_is_refused_and_not_flagged(client, order):
    response = _notify(client, "refund", "refund.txt", body=UNKNOWN_REFUND, secret="wrong")
    assert response.status_code == 403
    assert PaymentNotification.objects.get().needs_review is False


def test_staff_find_flagged_notifications_by_filter_and_mark_them_reviewed(
    client, admin_client, admin_user, order, api, ticket_type
):
    _paid_by_cloudpayments(client, order, ticket_type)
    _notify(client, "refund", "refund.txt", body=UNKNOWN_REFUND)
    flagged = PaymentNotification.objects.get(needs_review=True)
    changelist = reverse("admin:tickets_paymentnotification_changelist")
    page = admin_client.get(changelist, {"needs_review__exact": "1"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [flagged]
    # the order's page shows the notification and the history entry
    order_page = admin_client.get(reverse("admin:tickets_order_change", args=[order.pk]))
    html = order_page.content.decode()
    assert flagged.outcome in html and "flagged for staff review" in html
    response = admin_client.post(
        changelist,
        {"action": "mark_reviewed", "_selected_action": [flagged.pk]},
        follow=True,
    )
    assert response.status_code == 200
    flagged.refresh_from_db()
    assert flagged.needs_review is False
    assert flagged.reviewed_by == admin_user and flagged.reviewed_at is not None
    assert not admin_client.get(changelist, {"needs_review__exact": "1"}).context["cl"].result_list
    # reviewed, it still counts as flagged: a late repeat is not put back in the queue
    _notify(client, "refund", "refund.txt", body=UNKNOWN_REFUND)
    assert not PaymentNotification.objects.filter(needs_review=True).exists()
    # the other read-only trails do not offer the action
    refunds = admin_client.get(reverse("admin:tickets_refund_changelist"))
    assert "mark_reviewed" not in refunds.content.decode()


def test_a_pay_notification_costs_a_bounded_number_of_queries(
    client, order, api, django_assert_max_num_queries
):
    """The paid half of the on-sale rush (see bench/): the order, the duplicate check and its
    started payment, the payment locked and completed with the check for money that came
    twice (no savepoint of its own, nor around the order's payment), the order locked with
    its event and organizer and its tickets counted per type, the order paid (its log, the
    sales summary's upserts, sold out, the e-mail and the outbox, the organizer's webhooks; no
    question about a company, as this organizer issues acts after the event), the IP log and
    the notification's record — 21 on SQLite. On PostgreSQL statements that follow one
    another go in one round trip (the three reads; the payment's update and the check; the
    order's lock and its tickets' count; the IP log with the order's move, summary, log and
    sell-out check): 11. The answer needs no second read of the order: the payment that paid
    it carries it."""
    payment_start(order_id=order.pk, provider_name="cloudpayments")
    with django_assert_max_num_queries(11 if connection.vendor == "postgresql" else 21):
        response = _notify(client, "pay", "pay.txt")
    assert response.json() == {"code": 0}
    assert PaymentNotification.objects.get().outcome == "paid"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    # the payment started before is the one paid: no second row
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED


def test_a_pay_with_no_payment_started_writes_it_succeeded_at_once(
    client, order, api, django_assert_max_num_queries
):
    """The buyer paid on a form opened elsewhere (the rush's bench pays this way): the payment
    is inserted succeeded, sent with the check for money that came twice — no insert, lock
    and update of a payment made for the purpose: 20 on SQLite, 10 on PostgreSQL (one fewer
    than a started payment's completion, counting the test's savepoint around the
    notification; the organizer's webhooks are read, not yet cached)."""
    with django_assert_max_num_queries(10 if connection.vendor == "postgresql" else 20):
        response = _notify(client, "pay", "pay.txt")
    assert response.json() == {"code": 0}
    assert PaymentNotification.objects.get().outcome == "paid"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not order.needs_review
    # the buyer's address noted with the order's move to paid
    paid_from = IpEvent.objects.filter(reference=order.code, kind="payment_succeeded")
    assert list(paid_from.values_list("ip", flat=True)) == ["10.0.0.1"]
    payment = Payment.objects.get()
    assert (payment.status, payment.provider, payment.provider_transaction_id) == (
        Payment.Status.SUCCEEDED,
        "cloudpayments",
        "2871145001",
    )
    assert (payment.amount, payment.currency) == (order.total, order.currency)
    assert payment.completed_at is not None and payment.order_id == order.pk
    # the sales summary counted the order's two tickets, read with its lock
    assert EventSalesDay.objects.get(event_id=order.event_id).sold == 2


def test_a_second_transaction_paying_a_paid_order_is_kept_and_flagged(client, order, api):
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    body = (PAYLOADS / "pay.txt").read_bytes().replace(b"2871145001", b"2871145777")
    assert _notify(client, "pay", "pay.txt", body=body).json() == {"code": 0}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.needs_review and order.review_reason == "paid twice: refund one payment"
    assert sorted(Payment.objects.values_list("provider_transaction_id", "status")) == [
        ("2871145001", "succeeded"),
        ("2871145777", "succeeded"),
    ]
    assert order.log.filter(to_status="paid").count() == 1


def test_pay_completes_the_latest_started_payment_of_the_order(client, order):
    from datetime import timedelta

    from django.utils import timezone

    older = Payment.objects.create(order=order, provider="cloudpayments", amount=order.total)
    newer = Payment.objects.create(order=order, provider="cloudpayments", amount=order.total)
    Payment.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    Payment.objects.create(order=order, provider="halyk", amount=order.total)  # another provider
    assert _notify(client, "pay", "pay.txt").json() == {"code": 0}
    statuses = dict(Payment.objects.values_list("pk", "status"))
    assert statuses[newer.pk] == Payment.Status.SUCCEEDED
    assert statuses[older.pk] == Payment.Status.CREATED
    assert Payment.objects.count() == 3

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.urls import reverse

from privacy.models import Disclosure
from privacy.services import consent_record
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.reports_data import ROLES, build_sales, member
from tickets.models import AttendeeMessage, MessageDelivery
from tickets.reports.services import messages as message_service
from tickets.reports.tasks import attendee_message_send_task

pytestmark = pytest.mark.django_db
DS = MessageDelivery.Status


def _consent(email: str, action: str = "given") -> None:
    consent_record(
        purpose="marketing",
        action=action,
        wording="Согласен на рекламу",
        channel="site",
        email=email,
    )


@pytest.fixture
def sales():
    sales = build_sales()
    for email in ("paid@example.kz", "promo@example.kz", "free@example.kz"):
        _consent(email)
    _consent("free@example.kz", action="withdrawn")
    make_blocked(staff=UserFactory(is_staff=True), email="promo@example.kz")
    return sales


@pytest.fixture
def manager(client, sales):
    client.force_login(member(sales.organizer, ROLES.MANAGER))
    return client


def _send(client, sales, capture, **data):
    url = reverse("tickets:cabinet_messages", args=[sales.organizer.slug, sales.event.slug])
    payload = {"kind": "service", "subject": "Концерт перенесён", "body": "Начало в 20:00."}
    payload.update(data)
    with capture(execute=True):
        response = client.post(url, payload)
    return response


def test_promotional_message_skips_buyers_without_consent_and_blocked_ones(
    manager, sales, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    response = _send(
        manager,
        sales,
        django_capture_on_commit_callbacks,
        kind="promotional",
        subject="Скидка 20% на новый концерт",
        body="Приходите!",
    )
    message = AttendeeMessage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "tickets:cabinet_message", args=[sales.organizer.slug, message.pk]
    )
    statuses = dict(message.deliveries.values_list("email", "status"))
    # refunded, pending and the other event's buyers are not recipients at all
    assert statuses == {
        "paid@example.kz": DS.SENT,
        "partial@example.kz": DS.SKIPPED_NO_CONSENT,
        "free@example.kz": DS.SKIPPED_NO_CONSENT,
        "promo@example.kz": DS.SKIPPED_BLOCKED,
    }
    assert [m.to for m in mailoutbox] == [["paid@example.kz"]]
    letter = mailoutbox[0]
    assert letter.subject == "Скидка 20% на новый концерт"
    assert "Приходите!" in letter.body
    assert "/privacy/unsubscribe/" in letter.body
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message.refresh_from_db()
    assert message.status == AttendeeMessage.Status.DONE and message.created_by is not None


def test_service_message_goes_to_every_buyer_with_a_valid_ticket(
    manager, sales, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    _send(manager, sales, django_capture_on_commit_callbacks)
    message = AttendeeMessage.objects.get()
    assert set(message.deliveries.values_list("status", flat=True)) == {DS.SENT}
    # a blocked buyer still hears that the concert they paid for has moved
    assert sorted(m.to[0] for m in mailoutbox) == [
        "free@example.kz",
        "paid@example.kz",
        "partial@example.kz",
        "promo@example.kz",
    ]
    assert all("/privacy/unsubscribe/" not in m.body for m in mailoutbox)
    assert all("List-Unsubscribe" not in m.extra_headers for m in mailoutbox)


def test_message_to_one_session_reaches_only_its_buyers(
    manager, sales, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    _send(manager, sales, django_capture_on_commit_callbacks, session=sales.tt3.session_id)
    assert [m.to for m in mailoutbox] == [["partial@example.kz"]]


def test_sending_in_batches_never_sends_a_delivery_twice(
    manager, sales, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(message_service, "BATCH_SIZE", 1)
    mailoutbox.clear()
    _send(manager, sales, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 4
    message = AttendeeMessage.objects.get()
    assert set(message.deliveries.values_list("attempts", flat=True)) == {1}
    # the task delivered again (acks_late, duplicate) sends nothing new
    attendee_message_send_task.delay(message.pk)
    assert len(mailoutbox) == 4
    # a delivery claimed by a worker that died is not sent by the next one
    claimed = message.deliveries.first()
    MessageDelivery.objects.filter(pk=claimed.pk).update(status=DS.SENDING)
    attendee_message_send_task.delay(message.pk)
    assert len(mailoutbox) == 4


class FlakyConnection:
    def __init__(self, failures: int):
        self.failures = failures

    def send_messages(self, messages):
        if self.failures:
            self.failures -= 1
            raise SMTPServerDisconnected("connection lost")
        mail.outbox.extend(messages)
        return len(messages)


def test_a_refused_letter_is_retried_and_then_recorded_failed(
    manager, sales, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    flaky = FlakyConnection(failures=2)
    monkeypatch.setattr(message_service, "get_connection", lambda: flaky)
    mailoutbox.clear()
    _send(manager, sales, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "free@example.kz",
        "paid@example.kz",
        "partial@example.kz",
        "promo@example.kz",
    ]
    message = AttendeeMessage.objects.get()
    assert set(message.deliveries.values_list("status", flat=True)) == {DS.SENT}
    assert max(message.deliveries.values_list("attempts", flat=True)) >= 2
    # a server that never accepts: after the last retry the deliveries are failed
    never = FlakyConnection(failures=10_000)
    monkeypatch.setattr(message_service, "get_connection", lambda: never)
    mailoutbox.clear()
    _send(manager, sales, django_capture_on_commit_callbacks, subject="Второе письмо")
    second = AttendeeMessage.objects.get(subject="Второе письмо")
    assert set(second.deliveries.values_list("status", flat=True)) == {DS.FAILED}
    assert "connection lost" in second.deliveries.first().error
    assert second.deliveries.first().attempts == attendee_message_send_task.max_retries + 1
    assert second.status == AttendeeMessage.Status.DONE
    assert mailoutbox == []


def test_delivery_report_counts_masks_blocked_and_is_disclosed(
    manager, sales, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _send(manager, sales, django_capture_on_commit_callbacks, kind="promotional")
    message = AttendeeMessage.objects.get()
    url = reverse("tickets:cabinet_message", args=[sales.organizer.slug, message.pk])
    # 14, one cold read of privacy state (then cached), the chain heads of the disclosure and
    # its subjects (and on PostgreSQL locks)
    with django_assert_max_num_queries(19):
        response = manager.get(url)
    html = response.content.decode()
    counts = dict(response.context["counts"])
    assert counts["Отправлено"] == 1
    assert response.context["total"] == 4
    assert "promo@example.kz" not in html and "p***@e***.kz" in html
    assert "paid@example.kz" in html
    disclosure = Disclosure.objects.filter(channel="message").latest("id")
    assert disclosure.fields == ["email"]
    assert "promo@example.kz" not in set(disclosure.subjects.values_list("subject", flat=True))
    listing = manager.get(
        reverse("tickets:cabinet_messages", args=[sales.organizer.slug, sales.event.slug])
    )
    [row] = listing.context["sent_messages"]
    assert (row.recipients, row.sent, row.skipped, row.failed) == (4, 1, 3, 0)


def test_message_form_errors_are_shown(manager, sales, django_capture_on_commit_callbacks):
    response = _send(
        manager, sales, django_capture_on_commit_callbacks, kind="spam", subject="", body=""
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "subject", "body"}
    assert not AttendeeMessage.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(ROLES.OWNER, 200), (ROLES.MANAGER, 200), (ROLES.ACCOUNTANT, 403), (ROLES.CHECKIN, 403)],
)
def test_message_roles(client, sales, role, status):
    client.force_login(member(sales.organizer, role))
    url = reverse("tickets:cabinet_messages", args=[sales.organizer.slug, sales.event.slug])
    assert client.get(url).status_code == status


def test_another_organizer_cannot_see_or_send(client, sales, django_capture_on_commit_callbacks):
    client.force_login(member(sales.organizer, ROLES.OWNER))
    _send(client, sales, django_capture_on_commit_callbacks)
    message = AttendeeMessage.objects.get()
    stranger_org = sales.orders["stranger"].event.organizer
    client.force_login(member(stranger_org, ROLES.OWNER))
    report = reverse("tickets:cabinet_message", args=[stranger_org.slug, message.pk])
    assert client.get(report).status_code == 404
    form = reverse("tickets:cabinet_messages", args=[stranger_org.slug, sales.event.slug])
    assert client.post(form, {"kind": "service", "subject": "x", "body": "y"}).status_code == 404
    assert AttendeeMessage.objects.count() == 1


def test_staff_see_messages_and_deliveries_read_only(
    admin_client, manager, sales, django_capture_on_commit_callbacks
):
    _send(manager, sales, django_capture_on_commit_callbacks)
    message = AttendeeMessage.objects.get()
    listing = admin_client.get(reverse("admin:tickets_attendeemessage_changelist"))
    assert listing.status_code == 200 and "Концерт перенесён" in listing.content.decode()
    page = admin_client.get(reverse("admin:tickets_attendeemessage_change", args=[message.pk]))
    assert page.status_code == 200 and "paid@example.kz" in page.content.decode()
    assert admin_client.get(reverse("admin:tickets_attendeeexport_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:tickets_attendeemessage_add")).status_code == 403

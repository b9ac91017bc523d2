"""Claims are due 30 calendar days after receipt; staff get a daily reminder of what is due."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from privacy.models import BlockingRequest, Claim, Incident, SubjectAccessRequest
from privacy.services import blocking_request_create
from privacy.services.reminders import privacy_reminders_collect, privacy_reminders_send
from privacy.tasks import privacy_reminders_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _staff_addresses(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["dpo@eventum.test", "legal@eventum.test"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _claim(received_on: date, **fields) -> Claim:
    defaults = {"claimant_name": "Ерлан Садыков", "topic": "Возврат билета", "text": "Прошу..."}
    return Claim.objects.create(received_on=received_on, **{**defaults, **fields})


def test_claim_entered_today_is_due_thirty_days_later(admin_client):
    today = timezone.localdate()
    response = admin_client.post(
        reverse("admin:privacy_claim_add"),
        {
            "received_on": today.strftime("%d.%m.%Y"),
            "channel": "letter",
            "claimant_name": "Ерлан Садыков",
            "topic": "Неправомерная передача данных",
            "text": "Требую прекратить передачу моих данных",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = Claim.objects.get()
    assert claim.due_on == today + timedelta(days=30)
    changelist = admin_client.get(reverse("admin:privacy_claim_changelist")).content.decode()
    assert (today + timedelta(days=30)).strftime("%d.%m.%Y") in changelist


def test_claim_appears_in_the_reminder_when_due(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    claim = _claim(today)
    assert privacy_reminders_send(today=today) == 0  # 30 days left: nothing to say
    reminder_day = claim.due_on - timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_reminders_send(today=reminder_day) == 1
    (message,) = mail.outbox
    assert message.to == ["dpo@eventum.test", "legal@eventum.test"]
    assert "Ерлан Садыков" in message.body and claim.due_on.strftime("%d.%m.%Y") in message.body
    assert reverse("admin:privacy_claim_change", args=[claim.pk]) in message.body
    assert "Персональные данные" in message.subject


def test_overdue_claims_are_flagged_and_answered_ones_dropped():
    today = timezone.localdate()
    overdue = _claim(today - timedelta(days=31))
    _claim(today - timedelta(days=40), answered_on=today - timedelta(days=20), answer_text="Ответ")
    soon = _claim(today - timedelta(days=27))
    reminders = privacy_reminders_collect(today=today)
    assert reminders.claims_overdue == [overdue] and reminders.claims_due_soon == [soon]
    assert overdue.is_overdue and not soon.is_overdue


def test_daily_task_reports_overdue_blocking_requests_and_pending_incidents(
    django_capture_on_commit_callbacks,
):
    late = blocking_request_create(
        request=BlockingRequest(
            requester_kind="authorised_body",
            requester_name="Уполномоченный орган",
            subject_email="late@example.kz",
            grounds="unlawful_processing",
            received_at=timezone.now() - timedelta(days=7),
        )
    )
    SubjectAccessRequest.objects.create(
        subject_email="who@example.kz",
        received_at=timezone.now() - timedelta(days=9),
        due_at=timezone.now() - timedelta(days=2),
    )
    Incident.objects.create(
        detected_at=timezone.now(),
        title="Утечка",
        description="…",
        data_affected="e-mail",
        subjects_affected="покупатели",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_reminders_task.delay().get() == 3
    body = mail.outbox[0].body
    assert "ПРОСРОЧЕННЫЕ запросы на блокирование" in body and "late@example.kz" in body
    assert "who@example.kz" in body and "Утечка" in body
    assert reverse("admin:privacy_blockingrequest_change", args=[late.pk]) in body


def test_nothing_due_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_reminders_send() == 0
    assert mail.outbox == []


def test_claim_list_highlights_overdue_and_filters_by_state(admin_client):
    today = timezone.localdate()
    _claim(today - timedelta(days=31), topic="Старая претензия")
    _claim(today, topic="Новая претензия")
    url = reverse("admin:privacy_claim_changelist")
    assert "privacy-overdue" in admin_client.get(url).content.decode()
    overdue = admin_client.get(url, {"answer": "overdue"}).content.decode()
    assert "Старая претензия" in overdue and "Новая претензия" not in overdue


def test_answer_is_stored_with_its_date(admin_client, admin_user):
    claim = _claim(timezone.localdate(), answer_text="Данные удалены")
    admin_client.post(
        reverse("admin:privacy_claim_changelist"),
        {"action": "mark_answered_today", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    assert claim.answered_on == timezone.localdate() and claim.answered_by == admin_user
    assert claim.answer_text == "Данные удалены" and not claim.is_overdue

"""Dates of claims, requests and incidents are fixed once entered; a correction is a new entry
that names the old one. Breach incidents are due at the authorised body within a working day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from privacy.models import (
    BlockingRequest,
    Claim,
    FixedDateError,
    Incident,
    SubjectAccessRequest,
)
from privacy.services import blocking_block, blocking_request_create, subject_is_blocked
from privacy.services.access import subject_access_request_create
from privacy.services.reminders import privacy_reminders_collect, privacy_reminders_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def _claim(received_on: date, **fields) -> Claim:
    defaults = {"claimant_name": "Ерлан Садыков", "topic": "Возврат", "text": "Прошу..."}
    return Claim.objects.create(received_on=received_on, **{**defaults, **fields})


def _incident(detected_at: datetime, **fields) -> Incident:
    defaults = {
        "title": "Утечка выгрузки",
        "description": "…",
        "data_affected": "e-mail",
        "subjects_affected": "покупатели",
    }
    return Incident.objects.create(detected_at=detected_at, **{**defaults, **fields})


def _blocking(**fields) -> BlockingRequest:
    defaults = {
        "requester_kind": "subject",
        "requester_name": "Айгерим",
        "subject_email": "aigerim@example.kz",
        "grounds": "inaccurate_data",
    }
    return blocking_request_create(request=BlockingRequest(**{**defaults, **fields}))


def test_a_claims_date_cannot_change_after_entry():
    claim = _claim(timezone.localdate())
    claim.received_on -= timedelta(days=3)
    with pytest.raises(FixedDateError):
        claim.save()
    claim.refresh_from_db()
    claim.answered_on = timezone.localdate()  # filled in once: fine
    claim.save()
    claim.answered_on -= timedelta(days=1)
    with pytest.raises(FixedDateError):
        claim.save()


def test_request_and_incident_dates_cannot_change_after_entry():
    request = _blocking()
    request.received_at -= timedelta(days=1)
    with pytest.raises(FixedDateError):
        request.save()
    incident = _incident(timezone.now())
    incident.detected_at -= timedelta(hours=5)
    with pytest.raises(FixedDateError):
        incident.save()
    access = subject_access_request_create(
        request=SubjectAccessRequest(subject_email="who@example.kz")
    )
    access.received_at -= timedelta(days=1)
    with pytest.raises(FixedDateError):
        access.save(update_fields=["received_at"])


def test_admin_shows_the_dates_read_only_after_entry(admin_client):
    claim = _claim(timezone.localdate(), answer_text="Ответ")
    url = reverse("admin:privacy_claim_change", args=[claim.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="received_on"' not in page and 'name="claimant_name"' in page
    posted = admin_client.post(
        url,
        {
            "received_on": "01.01.2020",
            "channel": "letter",
            "claimant_name": "Ерлан Садыков",
            "topic": "Возврат",
            "text": "Прошу...",
            "answer_text": "Ответ",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert posted.status_code == 302
    claim.refresh_from_db()
    assert claim.received_on == timezone.localdate()
    incident = _incident(timezone.now())
    page = admin_client.get(reverse("admin:privacy_incident_change", args=[incident.pk]))
    assert 'name="detected_at_0"' not in page.content.decode()


def test_a_claim_is_corrected_by_a_new_entry_through_the_admin(admin_client):
    today = timezone.localdate()
    wrong = _claim(today - timedelta(days=40), topic="Неверная дата")
    action = admin_client.post(
        reverse("admin:privacy_claim_changelist"),
        {"action": "enter_correction", "_selected_action": [wrong.pk]},
    )
    add_url = reverse("admin:privacy_claim_add")
    assert action.status_code == 302 and action["Location"] == f"{add_url}?corrects={wrong.pk}"
    form = admin_client.get(action["Location"]).content.decode()
    assert "Неверная дата" in form  # filled in from the entry it corrects
    response = admin_client.post(
        action["Location"],
        {
            "received_on": (today - timedelta(days=2)).strftime("%d.%m.%Y"),
            "channel": "letter",
            "claimant_name": "Ерлан Садыков",
            "topic": "Неверная дата",
            "text": "Прошу...",
            "corrects": wrong.pk,
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    correction = Claim.objects.get(corrects=wrong)
    wrong.refresh_from_db()
    assert wrong.received_on == today - timedelta(days=40)  # the old entry is kept as it was
    assert wrong.is_corrected and correction.due_on == today + timedelta(days=28)
    reminders = privacy_reminders_collect(today=today)
    assert wrong not in reminders.claims_overdue and wrong not in reminders.claims_due_soon
    page = admin_client.get(reverse("admin:privacy_claim_change", args=[wrong.pk]))
    assert reverse("admin:privacy_claim_change", args=[correction.pk]) in page.content.decode()


def test_a_blocking_request_correction_takes_over_and_the_old_one_stops_blocking():
    staff = UserFactory(is_staff=True)
    wrong = _blocking(received_at=timezone.now() - timedelta(days=10))
    blocking_block(request=wrong, by=staff)
    correction = blocking_request_create(
        request=BlockingRequest(
            requester_kind="subject",
            requester_name="Айгерим",
            subject_email="aigerim@example.kz",
            grounds="inaccurate_data",
            received_at=timezone.now() - timedelta(hours=2),
            corrects=wrong,
        ),
        created_by=staff,
    )
    wrong.refresh_from_db()
    assert wrong.status == BlockingRequest.Status.CORRECTED and not wrong.blocks_now
    assert correction.status == BlockingRequest.Status.BLOCKED
    assert correction.blocked_by == staff and correction.blocked_at == wrong.blocked_at
    assert subject_is_blocked(email="aigerim@example.kz")
    last_old = wrong.transitions.order_by("pk").last()
    assert (last_old.from_status, last_old.to_status) == ("blocked", "corrected")
    first_new = correction.transitions.get()
    assert (first_new.from_status, first_new.to_status) == ("", "blocked")
    with pytest.raises(ValidationError) as refused:
        blocking_request_create(
            request=BlockingRequest(
                requester_kind="subject",
                requester_name="Айгерим",
                subject_email="aigerim@example.kz",
                grounds="inaccurate_data",
                corrects=wrong,
            )
        )
    assert "corrects" in refused.value.message_dict


def test_an_access_request_correction_closes_the_old_one():
    wrong = subject_access_request_create(
        request=SubjectAccessRequest(
            subject_email="who@example.kz", received_at=timezone.now() - timedelta(days=20)
        )
    )
    correction = subject_access_request_create(
        request=SubjectAccessRequest(subject_email="who@example.kz", corrects=wrong)
    )
    wrong.refresh_from_db()
    assert wrong.status == SubjectAccessRequest.Status.CORRECTED and not wrong.is_open
    assert correction.is_open
    assert wrong not in privacy_reminders_collect().access_overdue


def test_a_breach_is_due_at_the_authorised_body_one_working_day_after_detection():
    friday_evening = datetime(2026, 4, 30, 22, 0, tzinfo=ALMATY)  # Thursday before 1 May
    incident = _incident(friday_evening)
    assert incident.authority_notice_due_at == datetime(2026, 5, 4, 23, 59, 59, tzinfo=ALMATY)
    stored = Incident.objects.get(pk=incident.pk)
    assert stored.authority_notice_due_at == incident.authority_notice_due_at


def test_overdue_breach_notices_are_highlighted_and_reminded(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["dpo@eventum.test"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late = _incident(timezone.now() - timedelta(days=6), title="Старая утечка")
    fresh = _incident(timezone.now(), title="Новая утечка")
    _incident(
        timezone.now() - timedelta(days=8),
        title="Уведомили",
        authority_notified_at=timezone.now() - timedelta(days=7),
    )
    reminders = privacy_reminders_collect()
    assert reminders.incidents_overdue == [late] and reminders.incidents_unnotified == [fresh]
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_reminders_send() == 2
    (message,) = mail.outbox
    assert "ПРОСРОЧЕНО уведомление уполномоченного органа" in message.body
    assert "Старая утечка" in message.body and "Уведомили" not in message.body
    assert late.authority_notice_due_at.astimezone(ALMATY).strftime("%d.%m.%Y") in message.body
    assert "просрочено" in message.subject.lower()
    changelist = admin_client.get(reverse("admin:privacy_incident_changelist")).content.decode()
    assert "privacy-overdue" in changelist and "privacy-due-soon" in changelist

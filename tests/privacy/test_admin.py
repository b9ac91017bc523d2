"""Staff work in the admin: every model listed, requests worked step by step, letters recorded."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from privacy.models import (
    BlockingRequest,
    Claim,
    ConsentRecord,
    ConsentWithdrawal,
    Incident,
    IpLogEntry,
    Operator,
    PolicyVersion,
    SubjectAccessRequest,
)
from privacy.services import (
    blocking_request_create,
    consent_record,
    disclosure_record,
    marketing_may_send,
    policy_current,
    subject_is_blocked,
)
from tests.factories import UserFactory
from tests.privacy.conftest import scanned

pytestmark = pytest.mark.django_db
PRIVACY_MODELS = [m for m in admin.site._registry if m._meta.app_label == "privacy"]
# The operator is one record, nothing to filter or search (tests/privacy/test_operator.py).
PRIVACY_LIST_MODELS = [m for m in PRIVACY_MODELS if m is not Operator]


def test_every_privacy_model_is_in_the_admin():
    from django.apps import apps

    registered = {m.__name__ for m in PRIVACY_MODELS}
    expected = {m.__name__ for m in apps.get_app_config("privacy").get_models()}
    # rows shown inside their parent's page (inlines)
    inlines = {"DisclosureSubject", "ClaimAttachment", "WithdrawalAnswer", "BlockingTransition"}
    assert expected - inlines <= registered


@pytest.mark.parametrize("model", PRIVACY_LIST_MODELS, ids=lambda m: m.__name__)
def test_every_list_has_filters_and_search_and_loads(admin_client, model):
    model_admin = admin.site._registry[model]
    assert model_admin.list_filter and model_admin.search_fields
    url = reverse(f"admin:privacy_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "203.0.113.1"}).status_code == 200
    assert admin_client.get(url, {"q": "someone@example.kz"}).status_code == 200


def test_staff_record_a_representatives_request_and_block(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:privacy_blockingrequest_add"),
        {
            "requester_kind": "legal_representative",
            "requester_name": "Адвокат Иванов",
            "requester_email": "lawyer@example.kz",
            "authority_document": scanned("doverennost.pdf"),
            "document_reference": "№ 12 от 01.06.2026",
            "channel": "letter",
            "received_at_0": "01.06.2026",
            "received_at_1": "10:00:00",
            "subject_email": "Buyer@Example.kz",
            "grounds": "unlawful_processing",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request = BlockingRequest.objects.get()
    assert request.created_by == admin_user and request.status == "received"
    assert request.due_at is not None

    changelist = reverse("admin:privacy_blockingrequest_changelist")
    admin_client.post(changelist, {"action": "start_review", "_selected_action": [request.pk]})
    admin_client.post(changelist, {"action": "block", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == "blocked" and request.blocked_by == admin_user
    assert request.review_started_by == admin_user and request.review_started_at
    assert subject_is_blocked(email="buyer@example.kz")


def test_legal_representative_without_a_document_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:privacy_blockingrequest_add"),
        {
            "requester_kind": "legal_representative",
            "requester_name": "Адвокат Иванов",
            "channel": "letter",
            "received_at_0": "01.06.2026",
            "received_at_1": "10:00:00",
            "subject_email": "buyer@example.kz",
            "grounds": "other",
        },
    )
    assert response.status_code == 200 and not BlockingRequest.objects.exists()


def test_rejecting_asks_for_a_reason(admin_client, admin_user):
    request = blocking_request_create(
        request=BlockingRequest(
            requester_kind="subject",
            requester_name="Иван",
            subject_email="ivan@example.kz",
            grounds="other",
        )
    )
    changelist = reverse("admin:privacy_blockingrequest_changelist")
    page = admin_client.post(changelist, {"action": "reject", "_selected_action": [request.pk]})
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    admin_client.post(
        changelist,
        {
            "action": "reject",
            "_selected_action": [request.pk],
            "apply": "1",
            "reason": "Личность не подтверждена",
        },
    )
    request.refresh_from_db()
    assert request.status == "rejected" and request.rejection_reason == "Личность не подтверждена"
    assert request.rejected_by == admin_user


def test_overdue_requests_are_highlighted_and_filterable(admin_client):
    late = blocking_request_create(
        request=BlockingRequest(
            requester_kind="subject",
            requester_name="Поздний",
            subject_email="late@example.kz",
            grounds="other",
            received_at=timezone.now() - timedelta(days=10),
        )
    )
    blocking_request_create(
        request=BlockingRequest(
            requester_kind="subject",
            requester_name="Свежий",
            subject_email="fresh@example.kz",
            grounds="other",
        )
    )
    url = reverse("admin:privacy_blockingrequest_changelist")
    html = admin_client.get(url).content.decode()
    assert "privacy-overdue" in html
    overdue = admin_client.get(url, {"deadline": "overdue"}).content.decode()
    assert "late@example.kz" in overdue and "fresh@example.kz" not in overdue
    assert late.is_overdue


def test_withdrawal_by_registered_letter_takes_effect_at_once(admin_client, admin_user):
    consent_record(
        purpose="marketing", action="given", wording="Да", channel="site", email="pen@example.kz"
    )
    assert marketing_may_send(email="pen@example.kz")
    response = admin_client.post(
        reverse("admin:privacy_consentwithdrawal_add"),
        {
            "channel": "letter",
            "received_on": "03.06.2026",
            "letter_number": "RR123456789KZ",
            "scan": scanned("letter.pdf"),
            "scope": "marketing",
            "subject_email": "Pen@example.kz",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not marketing_may_send(email="pen@example.kz")
    withdrawal = ConsentWithdrawal.objects.get()
    row = ConsentRecord.objects.get(action="withdrawn")
    assert row.channel == "letter" and row.recorded_by == admin_user
    assert row.source == f"withdrawal:{withdrawal.pk}" and "RR123456789KZ" in row.wording
    assert withdrawal.scan.name.startswith("privacy/withdrawals/")
    file_response = admin_client.get(withdrawal.scan.url)
    assert file_response.status_code == 200
    assert b"".join(file_response.streaming_content).startswith(b"%PDF")


def test_letter_needs_its_number_and_scan(admin_client):
    response = admin_client.post(
        reverse("admin:privacy_consentwithdrawal_add"),
        {
            "channel": "letter",
            "received_on": "03.06.2026",
            "scope": "all",
            "subject_email": "a@b.kz",
        },
    )
    assert response.status_code == 200 and not ConsentWithdrawal.objects.exists()


def test_private_files_are_not_for_the_public(client, admin_client):
    url = reverse("privacy:private_file", args=["privacy/withdrawals/x.pdf"])
    assert client.get(url).status_code == 404  # a stranger: the file does not exist
    assert admin_client.get(url).status_code == 404
    outside = reverse("privacy:private_file", args=["tickets/answers/x.pdf"])
    assert admin_client.get(outside).status_code == 404


def test_staff_publish_a_new_policy_version_and_cannot_edit_it(admin_client):
    draft = PolicyVersion.objects.create(version="2.0", text_ru="Новая редакция")
    changelist = reverse("admin:privacy_policyversion_changelist")
    admin_client.post(changelist, {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published and len(draft.content_hash) == 64
    assert policy_current() == draft
    change = admin_client.get(reverse("admin:privacy_policyversion_change", args=[draft.pk]))
    assert 'name="text_ru"' not in change.content.decode()
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [draft.pk]})
    assert PolicyVersion.objects.filter(pk=draft.pk).exists()


def test_published_policy_is_frozen_in_code():
    policy = PolicyVersion.objects.get(version="1.0")
    policy.text_ru = "Подмена"
    with pytest.raises(PermissionError):
        policy.save()
    with pytest.raises(PermissionError):
        policy.delete()
    with pytest.raises(PermissionError):
        PolicyVersion.objects.filter(pk=policy.pk).update(text_ru="Подмена")
    assert PolicyVersion.objects.get(pk=policy.pk).text_ru != "Подмена"


def test_copy_to_draft_supersedes_a_published_version(admin_client):
    policy = PolicyVersion.objects.get(version="1.0")
    admin_client.post(
        reverse("admin:privacy_policyversion_changelist"),
        {"action": "copy_to_draft", "_selected_action": [policy.pk]},
    )
    draft = PolicyVersion.objects.get(version="1.0-draft1")
    assert not draft.is_published and draft.text_ru == policy.text_ru


def test_ip_log_search_by_ip_user_and_time(admin_client):
    user = UserFactory(email="searched@example.kz")
    now = timezone.now()
    IpLogEntry.objects.bulk_create(
        [
            IpLogEntry(
                ip="203.0.113.1", created_at=now, method="GET", path="/page-alpha", status=200
            ),
            IpLogEntry(
                ip="203.0.113.2",
                created_at=now,
                method="GET",
                path="/page-beta",
                status=200,
                user=user,
            ),
        ]
    )
    url = reverse("admin:privacy_iplogentry_changelist")
    by_ip = admin_client.get(url, {"q": "203.0.113.1"}).content.decode()
    assert "/page-alpha" in by_ip and "/page-beta" not in by_ip
    by_user = admin_client.get(url, {"q": "searched@"}).content.decode()
    assert "/page-beta" in by_user and "/page-alpha" not in by_user
    by_day = admin_client.get(
        url,
        {
            "created_at__year": now.year,
            "created_at__month": now.month,
            "created_at__day": timezone.localtime(now).day,
        },
    )
    assert by_day.status_code == 200


def test_disclosures_are_listed_read_only_and_searchable_by_subject(admin_client):
    disclosure = disclosure_record(
        actor=None,
        recipient="Partner",
        subjects=["one@example.kz"],
        fields=["email"],
        purpose="p",
        channel="partner",
    )
    url = reverse("admin:privacy_disclosure_changelist")
    assert "Partner" in admin_client.get(url, {"q": "one@example.kz"}).content.decode()
    change = admin_client.get(reverse("admin:privacy_disclosure_change", args=[disclosure.pk]))
    assert "one@example.kz" in change.content.decode()
    assert admin_client.get(reverse("admin:privacy_disclosure_add")).status_code == 403


def test_incident_register_records_notifications(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:privacy_incident_add"),
        {
            "detected_at_0": "02.06.2026",
            "detected_at_1": "08:30:00",
            "title": "Утечка выгрузки",
            "description": "Файл выгрузки отправлен не тому адресату",
            "data_affected": "ФИО, e-mail",
            "subjects_affected": "Покупатели концерта",
            "subjects_count": "120",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert incident.recorded_by == admin_user and incident.notifications_pending
    admin_client.post(
        reverse("admin:privacy_incident_changelist"),
        {"action": "mark_authority_notified", "_selected_action": [incident.pk]},
    )
    incident.refresh_from_db()
    assert incident.authority_notified_at is not None


def test_access_request_answered_and_subject_data_downloaded(admin_client, admin_user):
    request = SubjectAccessRequest.objects.create(
        subject_email="who@example.kz", received_at=timezone.now(), due_at=timezone.now()
    )
    changelist = reverse("admin:privacy_subjectaccessrequest_changelist")
    export = admin_client.post(
        changelist, {"action": "export_subject_data", "_selected_action": [request.pk]}
    )
    assert export["Content-Type"].startswith("application/json")
    assert b"who@example.kz" in export.content
    admin_client.post(changelist, {"action": "mark_answered", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == "answered" and request.answered_by == admin_user


def test_admin_actions_are_named_in_russian(admin_client):
    blocking_request_create(
        request=BlockingRequest(
            requester_kind="subject",
            requester_name="Иван",
            subject_email="i@example.kz",
            grounds="other",
        )
    )
    Claim.objects.create(claimant_name="Иван", topic="Возврат", text="Текст")
    html = admin_client.get(reverse("admin:privacy_blockingrequest_changelist")).content.decode()
    assert "Заблокировать" in html and "Взять в работу" in html
    claims = admin_client.get(reverse("admin:privacy_claim_changelist")).content.decode()
    assert "ответ отправлен" in claims


def test_private_file_needs_the_registers_view_permission(client):
    from django.contrib.auth.models import Permission
    from django.core.files.base import ContentFile

    from privacy.storage import private_storage

    name = private_storage.save("privacy/claims/2026/06/claim.pdf", ContentFile(b"%PDF-1.4"))
    url = reverse("privacy:private_file", args=[name])
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    clerk.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(type(clerk).objects.get(pk=clerk.pk))
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    other = private_storage.save("privacy/blocking/2026/06/doc.pdf", ContentFile(b"%PDF-1.4"))
    assert client.get(reverse("privacy:private_file", args=[other])).status_code == 404


def test_staff_enter_an_access_request_due_in_three_working_days(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:privacy_subjectaccessrequest_add"),
        {
            "requester_name": "Айгерим",
            "channel": "letter",
            "received_at_0": "30.04.2026",
            "received_at_1": "12:00:00",
            "subject_email": "who@example.kz",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request = SubjectAccessRequest.objects.get()
    # 1 May (holiday), 2–3 May weekend: 4, 5, 6 May are the three working days.
    assert timezone.localtime(request.due_at).date().isoformat() == "2026-05-06"
    assert request.created_by == admin_user


def test_a_request_without_any_subject_is_refused_with_a_message(admin_client):
    for model in ("subjectaccessrequest", "blockingrequest"):
        response = admin_client.post(
            reverse(f"admin:privacy_{model}_add"),
            {
                "requester_kind": "subject",
                "requester_name": "Аноним",
                "grounds": "other",
                "channel": "letter",
                "received_at_0": "30.04.2026",
                "received_at_1": "12:00:00",
            },
        )
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not SubjectAccessRequest.objects.exists() and not BlockingRequest.objects.exists()

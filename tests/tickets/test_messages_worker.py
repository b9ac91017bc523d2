"""A real Celery worker builds a large attendee export and sends a promotional message."""

import pytest
from django.urls import reverse

from privacy.models import Disclosure
from privacy.services import consent_record
from tests.fixtures_services import wait_for
from tests.tickets.reports_data import ROLES, build_sales, member
from tickets.models import AttendeeExport, AttendeeMessage
from tickets.reports.services import exports as export_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_worker_builds_the_export_and_sends_the_message(
    celery_worker_process, worker_mail_dir, client, monkeypatch
):
    sales = build_sales()
    consent_record(
        purpose="marketing", action="given", wording="Да", channel="site", email="paid@example.kz"
    )
    client.force_login(member(sales.organizer, ROLES.OWNER))
    monkeypatch.setattr(export_service, "SYNC_ROW_LIMIT", 1)
    url = reverse("tickets:cabinet_attendee_export", args=[sales.organizer.slug, sales.event.slug])
    assert (
        client.post(url, {"file_format": "xlsx", "columns": ["code", "email"]}).status_code == 302
    )
    export = wait_for(
        lambda: AttendeeExport.objects.filter(status=AttendeeExport.Status.READY).first(),
        timeout=90,
    )
    assert export.row_count == 7
    written = worker_mail_dir.parent / "worker-private" / export.file.name
    assert written.read_bytes().startswith(b"PK")  # an XLSX (zip) file
    assert Disclosure.objects.filter(channel="export").count() == 1

    before = set(worker_mail_dir.iterdir())
    url = reverse("tickets:cabinet_messages", args=[sales.organizer.slug, sales.event.slug])
    client.post(url, {"kind": "promotional", "subject": "Новый концерт", "body": "Ждём вас"})
    message = wait_for(
        lambda: AttendeeMessage.objects.filter(status=AttendeeMessage.Status.DONE).first(),
        timeout=90,
    )
    statuses = dict(message.deliveries.values_list("email", "status"))
    assert statuses["paid@example.kz"] == "sent"
    assert statuses["partial@example.kz"] == "skipped_no_consent"
    new_files = wait_for(lambda: set(worker_mail_dir.iterdir()) - before, timeout=30)
    raw = b"".join(path.read_bytes() for path in new_files)
    assert b"paid@example.kz" in raw and b"partial@example.kz" not in raw

"""Every periodic task the beat container schedules exists, is registered with Celery, and the
whole schedule is written in one place."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from eventum.celery import app

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("eventum", "events", "organizers", "tickets", "privacy")


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_scheduled_task_is_registered(entry):
    app.loader.import_default_modules()
    task_name = settings.CELERY_BEAT_SCHEDULE[entry]["task"]
    assert task_name in app.tasks, f"{entry}: {task_name} is not a registered task"


def test_the_periodic_duties_are_scheduled():
    tasks = {spec["task"] for spec in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "eventum.outbox.outbox_relay_task",
        "events.tasks.events_mark_finished_task",
        "events.tasks.events_upcoming_refresh_task",
        "events.tasks.schedules_materialise_task",
        "tickets.tasks.reservations_release_expired_task",
        "tickets.tasks.orders_expire_overdue_task",
        "tickets.payments.tasks.payments_reconcile_task",
        "tickets.tasks.tickets_retention_task",
        "tickets.waitlist.tasks.waitlist_tick_task",
        "tickets.waitroom.tasks.waitrooms_refresh_task",
        "tickets.banktransfer.tasks.bank_transfers_tick_task",
        "tickets.companies.tasks.closing_acts_due_task",
        "organizers.webhooks.tasks.webhooks_retry_due_task",
        "privacy.tasks.iplog_flush_task",
        "privacy.tasks.iplog_aggregate_task",
        "privacy.tasks.privacy_reminders_task",
        "privacy.tasks.privacy_verify_task",
        "privacy.tasks.privacy_retention_task",
    }


def test_beat_reads_the_schedule_of_the_settings():
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE


def test_the_schedule_is_written_in_one_place():
    """One literal in settings.py: no entry added further down or by an app of its own."""
    pieces = re.compile(r"CELERY_BEAT_SCHEDULE\s*\[|beat_schedule|add_periodic_task|\.beat_")
    found = []
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pieces.finditer(text)]
    assert found == []
    settings_text = (ROOT / "eventum" / "settings.py").read_text(encoding="utf-8")
    assert len(re.findall(r"^CELERY_BEAT_SCHEDULE\b", settings_text, flags=re.MULTILINE)) == 1

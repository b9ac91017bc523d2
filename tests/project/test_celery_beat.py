"""Every periodic task the beat container schedules exists and is registered with Celery."""

import pytest
from django.conf import settings

from eventum.celery import app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_scheduled_task_is_registered(entry):
    app.loader.import_default_modules()
    task_name = settings.CELERY_BEAT_SCHEDULE[entry]["task"]
    assert task_name in app.tasks, f"{entry}: {task_name} is not a registered task"


def test_the_periodic_duties_are_scheduled():
    tasks = {spec["task"] for spec in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "events.tasks.events_mark_finished_task" in tasks
    assert "tickets.tasks.reservations_release_expired_task" in tasks

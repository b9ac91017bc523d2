"""The transactional outbox: tasks that must follow a commit survive a broker outage.

``outbox_enqueue(task, *args)`` writes an ``OutboxMessage`` row in the caller's transaction,
so the task exists exactly when the data it works on does. After the commit the row is
published at once; if the broker is down, publishing fails fast (the request is never held
up), the row stays undispatched and ``outbox_relay`` sends it later — every 30 seconds from
beat (``outbox_relay_task``) or by hand (``manage.py outbox_relay``). Relays lock the rows
they send (``SKIP LOCKED`` on PostgreSQL), so any number of them may run at once.

A message can still be delivered twice (published, then the process dies before the row is
marked), so every task sent this way must be idempotent.

Without a broker (the embedded default) tasks run in-process after the commit, as before.
"""

import logging
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from django.db import connection, transaction
from django.utils import timezone

from eventum.celery import app as celery_app
from eventum.models import OutboxMessage

logger = logging.getLogger(__name__)

RELAY_BATCH_SIZE = 100
KEEP_DISPATCHED_DAYS = 7


def outbox_enqueue(task: Task, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record ``task(*args, **kwargs)`` in the current transaction; publish it after commit.

    Arguments must be JSON-serialisable (they are stored and sent as JSON).
    """
    message = OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: outbox_publish(message_id=message.pk))
    return message


def _locked(queryset):
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def _send(message: OutboxMessage) -> None:
    """Hand one message to the broker; raises when the broker cannot take it."""
    celery_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, retry=False)


def _run_eagerly(message: OutboxMessage) -> None:
    """No broker: run the task in this process, as ``delay`` does in eager mode."""
    celery_app.loader.import_default_modules()
    celery_app.tasks[message.task_name].delay(*message.args, **message.kwargs)


def outbox_publish(*, message_id: int) -> bool:
    """Publish one message now (called after the enqueueing transaction committed).

    Returns whether it was sent. A broker error is logged and left to the relay; it never
    reaches the caller, so a paying buyer does not see it.
    """
    if celery_app.conf.task_always_eager:
        message = OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).first()
        if message is None:
            return False
        OutboxMessage.objects.filter(pk=message_id).update(dispatched_at=timezone.now())
        _run_eagerly(message)
        return True
    try:
        with transaction.atomic():
            message = _locked(
                OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True)
            ).first()
            if message is None:  # a relay has it (or sent it already)
                return False
            _send(message)
            message.dispatched_at = timezone.now()
            message.save(update_fields=["dispatched_at"])
    except Exception as exc:  # any broker failure: the relay sends it later
        _note_failure(message_id, exc)
        logger.warning("Outbox message %s not published yet: %s", message_id, exc)
        return False
    return True


def _note_failure(message_id: int, exc: Exception) -> None:
    from django.db.models import F

    try:
        OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
    except Exception:  # the database may be what failed; the row is still there
        logger.exception("Could not record the outbox failure of message %s", message_id)


def outbox_relay(*, batch_size: int = RELAY_BATCH_SIZE) -> int:
    """Send every undispatched message, oldest first; returns how many were sent.

    Stops at the first broker error (the rest would fail too) and tries again next time.
    Each batch is one transaction holding its rows' locks, so concurrent relays skip them.
    """
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                _locked(OutboxMessage.objects.filter(dispatched_at__isnull=True)).order_by("id")[
                    :batch_size
                ]
            )
            if not batch:
                return sent
            done: list[int] = []
            failure: Exception | None = None
            for message in batch:
                try:
                    if celery_app.conf.task_always_eager:
                        _run_eagerly(message)
                    else:
                        _send(message)
                except Exception as exc:  # the broker is still down: keep the rest
                    failure = exc
                    break
                done.append(message.pk)
            if done:
                OutboxMessage.objects.filter(pk__in=done).update(dispatched_at=timezone.now())
                sent += len(done)
        if failure is not None:
            failed = batch[len(done)]
            _note_failure(failed.pk, failure)
            logger.warning("Outbox relay stopped at message %s: %s", failed.pk, failure)
            return sent
        if len(batch) < batch_size:
            return sent


def outbox_prune(*, older_than_days: int = KEEP_DISPATCHED_DAYS) -> int:
    """Delete dispatched messages older than ``older_than_days``; returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _per_model = OutboxMessage.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted


def outbox_waiting() -> int:
    """How many messages wait for the broker (for health checks and the admin)."""
    return OutboxMessage.objects.filter(dispatched_at__isnull=True).count()


@shared_task(acks_late=True, ignore_result=True)
def outbox_relay_task() -> int:
    """Beat: send what the broker missed, and forget what was sent long ago."""
    sent = outbox_relay()
    outbox_prune()
    return sent

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
from django.db.models import QuerySet
from django.utils import timezone

from eventum.celery import app as celery_app
from eventum.models import OutboxMessage
from eventum.rows import instances_insert

logger = logging.getLogger(__name__)

RELAY_BATCH_SIZE = 100
KEEP_DISPATCHED_DAYS = 7


def outbox_enqueue(task: "Task[Any, Any] | str", *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record ``task(*args, **kwargs)`` in the current transaction; publish it after commit.

    ``task`` is a task or its registered name: services enqueue by name, so they never import
    the tasks module that imports them. Arguments must be JSON-serialisable (they are stored
    and sent as JSON).
    """
    return outbox_enqueue_many([(task, args, kwargs)])[0]


def outbox_enqueue_many(
    calls: list[tuple["Task[Any, Any] | str", tuple[Any, ...], dict[str, Any]]],
) -> list[OutboxMessage]:
    """``outbox_enqueue`` for several tasks at once, written in one INSERT: after the commit
    they are published together, in one database transaction."""
    messages = instances_insert(
        OutboxMessage(
            task_name=task if isinstance(task, str) else task.name, args=list(args), kwargs=kwargs
        )
        for task, args, kwargs in calls
    )
    ids = [message.pk for message in messages]  # PostgreSQL and SQLite return them
    transaction.on_commit(lambda: outbox_publish_many(message_ids=ids))
    return messages


def _locked(queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def _send(message: OutboxMessage) -> None:
    """Hand one message to the broker; raises when the broker cannot take it."""
    celery_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, retry=False)


def _run_eagerly(message: OutboxMessage) -> None:
    """No broker: run the task in this process, as ``delay`` does in eager mode.

    The tasks modules are imported the first time a name is unknown, not for every message:
    importing them sends Celery's ``import_modules`` signal, on which the Django fix-up runs
    every system check of the project (a worker does that once, when it starts)."""
    if message.task_name not in celery_app.tasks:
        celery_app.loader.import_default_modules()
    celery_app.tasks[message.task_name].delay(*message.args, **message.kwargs)


def outbox_publish_many(*, message_ids: list[int]) -> int:
    """Publish these messages now (after the enqueueing transaction committed), in id order.

    Returns how many were sent. A broker error is logged and the rest are left to the relay;
    it never reaches the caller, so a paying buyer does not see it.
    """
    waiting = OutboxMessage.objects.filter(pk__in=message_ids, dispatched_at__isnull=True)
    if celery_app.conf.task_always_eager:
        messages = list(waiting.order_by("id"))
        waiting.update(dispatched_at=timezone.now())
        for message in messages:
            _run_eagerly(message)
        return len(messages)
    batch: list[OutboxMessage] = []
    try:
        with transaction.atomic():
            batch = list(_locked(waiting).order_by("id"))  # rows a relay holds: it sends them
            done, failure = _send_in_order(batch)
    except Exception as exc:  # the database failed: the relay sends them later
        done, failure = [], exc
    if failure is not None:  # each message left waiting records why
        failed = [message.pk for message in batch[len(done) :]] or list(message_ids)
        _note_failure(failed, failure)
        logger.warning("Outbox messages %s not published yet: %s", failed, failure)
    return len(done)


def _send_in_order(batch: list[OutboxMessage]) -> tuple[list[int], Exception | None]:
    """Hand ``batch`` to the broker in order, stopping at the first failure (the rest would
    fail too); mark what was sent. Call inside the transaction that locked the rows."""
    done: list[int] = []
    failure: Exception | None = None
    for message in batch:
        try:
            if celery_app.conf.task_always_eager:
                _run_eagerly(message)
            else:
                _send(message)
        except Exception as exc:  # any broker failure
            failure = exc
            break
        done.append(message.pk)
    if done:
        OutboxMessage.objects.filter(pk__in=done).update(dispatched_at=timezone.now())
    return done, failure


def _note_failure(message_ids: list[int], exc: Exception) -> None:
    from django.db.models import F

    try:
        OutboxMessage.objects.filter(pk__in=message_ids, dispatched_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
    except Exception:  # the database may be what failed; the rows are still there
        logger.exception("Could not record the outbox failure of messages %s", message_ids)


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
            done, failure = _send_in_order(batch)
            sent += len(done)
        if failure is not None:
            failed = batch[len(done)]
            _note_failure([failed.pk], failure)
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

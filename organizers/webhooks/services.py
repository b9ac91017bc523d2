"""Writes of webhooks: endpoints (made, changed, secret rotated, switched on again, removed),
events emitted by the apps, and each delivery attempt with its back-off.

Deliveries leave through the outbox: ``webhook_emit`` writes the delivery rows and their tasks
in the caller's transaction, so a webhook exists exactly when the order was paid (or refunded,
...). A failed attempt is tried again after 1, 2, 4, ... minutes (``webhooks_retry_due``, every
minute from beat); after ``WEBHOOK_MAX_ATTEMPTS`` the delivery has failed. An endpoint whose
attempts fail ``WEBHOOK_DISABLE_AFTER_FAILURES`` times in a row is switched off and its owner
e-mailed; switching it on again resumes what waits.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from eventum.cached import cached_read
from eventum.outbox import outbox_enqueue, outbox_enqueue_many
from organizers.models import Organizer
from organizers.webhooks.emails import email_webhook_disabled
from organizers.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
    active_endpoints_key,
)
from organizers.webhooks.sending import SendResult, webhook_post
from organizers.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    webhook_secret_new,
    webhook_signature,
)

WEBHOOK_DELIVER_TASK = "organizers.webhooks.tasks.webhook_deliver_task"
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_LONGEST = timedelta(hours=6)
# A retry enqueued and not yet run is not enqueued again for this long.
RETRY_LEASE = timedelta(minutes=5)
MAX_ENDPOINTS = 10
# The delivery log keeps payloads (buyers' data among them) this long, then forgets them.
KEEP_DELIVERIES_DAYS = 30
# Which endpoints of an organizer are on, and for what, is kept in the cache this long (every
# paid order asks; every save or removal of an endpoint forgets it at once: see the model).
ACTIVE_ENDPOINTS_CACHE_SECONDS = 60

Payload = dict[str, Any]
# A guard sees every payload before each attempt and returns it as it may leave now: the app
# that made it masks a subject who was blocked (or withdrew consent) since.
PayloadGuard = Callable[[str, Payload], Payload]
_guards: list[PayloadGuard] = []


class WebhookError(Exception):
    """A refused webhook change; the text is shown to the organizer."""


def webhook_payload_guard_register(guard: PayloadGuard) -> None:
    if guard not in _guards:
        _guards.append(guard)


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8))


def disable_after() -> int:
    return int(getattr(settings, "WEBHOOK_DISABLE_AFTER_FAILURES", 20))


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, at most 6 h."""
    return min(BACKOFF_FIRST * (1 << max(attempts - 1, 0)), BACKOFF_LONGEST)


@dataclass(frozen=True)
class NewWebhookSecret:
    endpoint: WebhookEndpoint
    secret: str


def _active_endpoints_read(organizer_id: int) -> list[tuple[int, list[str]]]:
    return [
        (pk, list(event_types))
        for pk, event_types in WebhookEndpoint.objects.filter(
            organizer_id=organizer_id, is_active=True
        ).values_list("pk", "event_types")
    ]


def _active_endpoints(organizer_id: int) -> list[tuple[int, list[str]]]:
    """The organizer's active endpoints (id, the events each wants), in their order; from the
    cache, read when absent (or when the cache is down)."""
    return cached_read(
        active_endpoints_key(organizer_id),
        ACTIVE_ENDPOINTS_CACHE_SECONDS,
        lambda: _active_endpoints_read(organizer_id),
    )


def _clean_types(event_types: list[str]) -> list[str]:
    known = WebhookEventType.values
    chosen = [name for name in known if name in set(event_types)]
    if not chosen:
        raise WebhookError(_("Choose at least one event."))
    return chosen


@transaction.atomic
def webhook_endpoint_create(
    *,
    organizer: Organizer,
    url: str,
    event_types: list[str],
    created_by: User | None,
) -> NewWebhookSecret:
    """A new endpoint (``url`` already checked by the form); its secret is returned once."""
    Organizer.objects.select_for_update().filter(pk=organizer.pk).first()
    if WebhookEndpoint.objects.filter(organizer=organizer).count() >= MAX_ENDPOINTS:
        raise WebhookError(_("At most %(count)d webhooks.") % {"count": MAX_ENDPOINTS})
    secret = webhook_secret_new()
    endpoint = WebhookEndpoint.objects.create(
        organizer=organizer,
        url=url,
        event_types=_clean_types(event_types),
        secret=secret,
        secret_hint=secret[:10],
        created_by=created_by if created_by is not None and created_by.is_authenticated else None,
    )
    return NewWebhookSecret(endpoint=endpoint, secret=secret)


def _endpoint_locked(endpoint_id: int, organizer: Organizer) -> WebhookEndpoint:
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id, organizer=organizer)


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint_id: int, organizer: Organizer, url: str, event_types: list[str]
) -> WebhookEndpoint:
    """Change the address and the events (the secret stays)."""
    endpoint = _endpoint_locked(endpoint_id, organizer)
    endpoint.url = url
    endpoint.event_types = _clean_types(event_types)
    endpoint.save(update_fields=["url", "event_types"])
    return endpoint


@transaction.atomic
def webhook_secret_rotate(*, endpoint_id: int, organizer: Organizer) -> NewWebhookSecret:
    """A new secret signs every delivery from now on (attempts still waiting included)."""
    endpoint = _endpoint_locked(endpoint_id, organizer)
    endpoint.secret = webhook_secret_new()
    endpoint.secret_hint = endpoint.secret[:10]
    endpoint.save(update_fields=["secret", "secret_hint"])
    return NewWebhookSecret(endpoint=endpoint, secret=endpoint.secret)


@transaction.atomic
def webhook_endpoint_enable(*, endpoint_id: int, organizer: Organizer) -> WebhookEndpoint:
    """Switch a (switched-off) endpoint on: what waits is tried again within a minute."""
    endpoint = _endpoint_locked(endpoint_id, organizer)
    endpoint.is_active = True
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.failures_in_row = 0
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "failures_in_row"])
    WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING).update(
        next_attempt_at=timezone.now()
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_disable(
    *, endpoint_id: int, organizer: Organizer, reason: str = ""
) -> WebhookEndpoint:
    """Switch the endpoint off by hand: nothing is sent to it until it is switched on."""
    endpoint = _endpoint_locked(endpoint_id, organizer)
    if endpoint.is_active:
        endpoint.is_active = False
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = reason[:300]
        endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint_id: int, organizer: Organizer) -> None:
    """Remove the endpoint with its delivery log."""
    _endpoint_locked(endpoint_id, organizer).delete()


def _payload(event_type: str, data: Payload, event_id: uuid.UUID) -> Payload:
    return {
        "id": str(event_id),
        "type": event_type,
        "created_at": timezone.now().isoformat(),
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
    }


def webhook_emit(
    *, organizer_id: int, event_type: str, data: Payload | Callable[[], Payload]
) -> int:
    """Something happened: a delivery for each active endpoint of the organizer that wants
    ``event_type``, sent after the caller's transaction commits. Returns how many.

    ``data`` (or the function making it, called only when an endpoint wants the event) must
    show buyers as the organizer may see them (masked when restricted). No query when no
    endpoint wants it (the organizer's active endpoints come from the cache).
    """
    if event_type not in WebhookEventType.values:
        raise ValueError(f"Unknown webhook event type {event_type!r}")
    endpoints = [
        endpoint_id
        for endpoint_id, event_types in _active_endpoints(organizer_id)
        if event_type in event_types
    ]
    if not endpoints:
        return 0
    event_id = uuid.uuid4()
    payload = _payload(event_type, data() if callable(data) else data, event_id)
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint_id=endpoint_id,
                event_id=event_id,
                event_type=event_type,
                payload=payload,
                next_attempt_at=now + RETRY_LEASE,
            )
            for endpoint_id in endpoints
        ]
    )
    outbox_enqueue_many([(WEBHOOK_DELIVER_TASK, (delivery.pk, 0), {}) for delivery in deliveries])
    return len(deliveries)


def _guarded(event_type: str, payload: Payload) -> Payload:
    for guard in _guards:
        payload = guard(event_type, payload)
    return payload


@transaction.atomic
def _attempt_begin(delivery_id: int, attempts_seen: int) -> WebhookDelivery | None:
    """Claim the attempt: ``None`` when it is not due from this message (done already, a
    duplicate message, the endpoint switched off)."""
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint")
        .filter(pk=delivery_id)
        .first()
    )
    if (
        delivery is None
        or delivery.status != WebhookDelivery.Status.PENDING
        or delivery.attempts != attempts_seen
        or not delivery.endpoint.is_active
    ):
        return None
    delivery.attempts += 1
    delivery.next_attempt_at = timezone.now() + RETRY_LEASE
    # A subject restricted since the event is masked now, in the stored log too.
    delivery.payload = _guarded(delivery.event_type, delivery.payload)
    delivery.save(update_fields=["attempts", "next_attempt_at", "payload"])
    return delivery


def _request(delivery: WebhookDelivery) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "eventum-webhooks/1",
        EVENT_HEADER: delivery.event_type,
        DELIVERY_HEADER: str(delivery.event_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_signature(
            secret=delivery.endpoint.secret, timestamp=timestamp, body=body
        ),
    }
    return body, headers


@transaction.atomic
def _attempt_finish(delivery_id: int, result: SendResult, started: datetime) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint__organizer")
        .get(pk=delivery_id)
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=started,
        response_status=result.status,
        error=result.error,
        duration_ms=result.duration_ms,
    )
    delivery.last_response_status = result.status
    delivery.last_error = result.error
    endpoints = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id)
    if result.ok:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
        endpoints.update(failures_in_row=0)
    else:
        if delivery.attempts >= max_attempts():
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        endpoints.update(failures_in_row=F("failures_in_row") + 1)
        _disable_if_failing(delivery.endpoint_id)
    delivery.save(
        update_fields=[
            "status",
            "delivered_at",
            "next_attempt_at",
            "last_response_status",
            "last_error",
        ]
    )
    return delivery


def _disable_if_failing(endpoint_id: int) -> None:
    endpoint = (
        WebhookEndpoint.objects.select_for_update().select_related("organizer").get(pk=endpoint_id)
    )
    if not endpoint.is_active or endpoint.failures_in_row < disable_after():
        return
    endpoint.is_active = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = _("%(count)d failed attempts in a row") % {
        "count": endpoint.failures_in_row
    }
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    email_webhook_disabled(endpoint)


def webhook_delivery_attempt(*, delivery_id: int, attempts_seen: int) -> WebhookDelivery | None:
    """Send the delivery once (if still due from this message) and record what came back.

    Idempotent per message: ``attempts_seen`` is the attempt count the message was sent for, so
    a message delivered twice sends once. The HTTP request runs outside any transaction.
    """
    delivery = _attempt_begin(delivery_id, attempts_seen)
    if delivery is None:
        return None
    started = timezone.now()
    body, headers = _request(delivery)
    result = webhook_post(url=delivery.endpoint.url, body=body, headers=headers)
    return _attempt_finish(delivery.pk, result, started)


def webhooks_retry_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Enqueue (through the outbox) every waiting delivery whose next attempt is due."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=WebhookDelivery.Status.PENDING,
                next_attempt_at__lte=now,
                endpoint__is_active=True,
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", "attempts")[:limit]
        )
        if not due:
            return 0
        WebhookDelivery.objects.filter(pk__in=[pk for pk, _attempts in due]).update(
            next_attempt_at=now + RETRY_LEASE
        )
        outbox_enqueue_many([(WEBHOOK_DELIVER_TASK, (pk, attempts), {}) for pk, attempts in due])
    return len(due)


@transaction.atomic
def webhook_delivery_resend(*, delivery_id: int, organizer: Organizer) -> WebhookDelivery:
    """ "Send again": a new delivery of the same event (same id, so the receiver can tell it is
    the same) with the current payload guard; the old one stays in the log as it was."""
    old = WebhookDelivery.objects.select_related("endpoint").get(
        pk=delivery_id, endpoint__organizer=organizer
    )
    if not old.endpoint.is_active:
        raise WebhookError(_("The webhook is switched off: switch it on first."))
    delivery = WebhookDelivery.objects.create(
        endpoint=old.endpoint,
        event_id=old.event_id,
        event_type=old.event_type,
        payload=old.payload,
        next_attempt_at=timezone.now() + RETRY_LEASE,
    )
    outbox_enqueue(WEBHOOK_DELIVER_TASK, delivery.pk, 0)
    return delivery


def webhook_deliveries_prune(
    *, older_than_days: int = KEEP_DELIVERIES_DAYS, now: datetime | None = None
) -> int:
    """Forget finished deliveries (and their attempts) older than ``older_than_days``: the log
    is for following up recent failures, not an archive of buyers' data."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _per_model = (
        WebhookDelivery.objects.filter(created_at__lt=cutoff)
        .exclude(status=WebhookDelivery.Status.PENDING)
        .delete()
    )
    return deleted

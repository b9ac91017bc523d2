"""Reads of webhooks for the cabinet."""

from django.db.models import Prefetch, QuerySet

from organizers.models import Organizer
from organizers.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

LOG_LENGTH = 50


def webhooks_of(*, organizer: Organizer) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organizer=organizer)


def webhook_deliveries(
    *, endpoint: WebhookEndpoint, limit: int = LOG_LENGTH
) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, each with its attempts (newest first)."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .prefetch_related(
            Prefetch(
                "attempt_log", queryset=WebhookAttempt.objects.order_by("-attempted_at", "-id")
            )
        )
        .order_by("-created_at", "-id")[:limit]
    )

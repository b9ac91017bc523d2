"""Tables of the project package itself: the transactional outbox."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task that must run after a commit, written in the same transaction.

    Published at once after the commit; when the broker is down the row waits, undispatched,
    and the relay (``outbox_relay_task`` from beat, or ``manage.py outbox_relay``) sends it
    later. Nothing that must follow a commit is lost with the broker.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(dispatched_at__isnull=True),
                name="outbox_undispatched_idx",
            )
        ]

    def __str__(self) -> str:
        state = "dispatched" if self.dispatched_at else "waiting"
        return f"{self.task_name} #{self.pk} ({state})"

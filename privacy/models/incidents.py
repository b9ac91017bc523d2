"""Register of personal-data security incidents, to show the notification duty was met."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models.corrections import CorrectableMixin


def incident_notice_due_at(detected_at: datetime) -> datetime:
    """The authorised body is notified within ``INCIDENT_NOTICE_WORKING_DAYS`` (one) working
    day of detection: by the end of the next working day in Almaty."""
    # Imported on use: services import the models, so a module-level import would be a cycle.
    from privacy.services.workdays import working_days_deadline

    return working_days_deadline(detected_at, settings.INCIDENT_NOTICE_WORKING_DAYS)


class Incident(CorrectableMixin, models.Model):
    FIXED_DATES = ("detected_at",)
    ONCE_SET_DATES = ("authority_notified_at", "subjects_notified_at", "resolved_at")

    detected_at = models.DateTimeField(_("detected at"), db_index=True)
    authority_notice_due_at = models.DateTimeField(
        _("notice to the authorised body due by"), db_index=True, editable=False
    )
    title = models.CharField(_("short title"), max_length=300)
    description = models.TextField(_("what happened"))
    data_affected = models.TextField(_("what data"))
    subjects_affected = models.TextField(_("whose data"))
    subjects_count = models.PositiveIntegerField(
        _("number of subjects (estimate)"), null=True, blank=True
    )
    measures = models.TextField(_("measures taken"), blank=True)
    authority_notified_at = models.DateTimeField(
        _("authorised body notified at"), null=True, blank=True
    )
    authority_notice_reference = models.CharField(
        _("notice to the authorised body (number, how)"), max_length=300, blank=True
    )
    subjects_notified_at = models.DateTimeField(_("subjects notified at"), null=True, blank=True)
    subjects_notice_method = models.CharField(
        _("how subjects were notified"), max_length=300, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")
        ordering = ["-detected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.detected_at:%d.%m.%Y} — {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.detected_at is not None and (
            self._state.adding or self.authority_notice_due_at is None
        ):
            self.authority_notice_due_at = incident_notice_due_at(self.detected_at)
        super().save(*args, **kwargs)

    @property
    def notice_done(self) -> bool:
        """Nothing more to notify the authorised body of: notified, or replaced by a correction."""
        return self.authority_notified_at is not None or self.is_corrected

    @property
    def notice_overdue(self) -> bool:
        return not self.notice_done and timezone.now() > self.authority_notice_due_at

    @property
    def notifications_pending(self) -> bool:
        return self.authority_notified_at is None or self.subjects_notified_at is None

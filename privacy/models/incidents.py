"""Register of personal-data security incidents, to show the notification duty was met."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    detected_at = models.DateTimeField(_("detected at"), db_index=True)
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

    @property
    def notifications_pending(self) -> bool:
        return self.authority_notified_at is None or self.subjects_notified_at is None

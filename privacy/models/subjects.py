"""Fields that identify a data subject in requests staff work on (blocking, access, claims)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.identity import normalise_email, normalise_phone


class SubjectIdentity(models.Model):
    subject_name = models.CharField(_("subject's name"), max_length=200, blank=True)
    subject_email = models.EmailField(_("subject's e-mail"), blank=True, db_index=True)
    subject_phone = models.CharField(_("subject's phone"), max_length=16, blank=True, db_index=True)
    subject_order_code = models.CharField(_("order code"), max_length=40, blank=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subject's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.subject_email = normalise_email(self.subject_email)
        self.subject_phone = normalise_phone(self.subject_phone)
        if not self.subject_email and self.subject_user is not None:
            self.subject_email = normalise_email(self.subject_user.email)
        super().save(*args, **kwargs)

    @property
    def subject_label(self) -> str:
        return self.subject_email or self.subject_phone or self.subject_order_code or "—"


class DeadlineMixin(models.Model):
    """A request with a legal answer deadline (``due_at``) and an open/closed state."""

    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("answer due by"), db_index=True)

    OPEN_STATUSES: tuple[str, ...] = ()
    status: str  # each concrete request declares the field with its own choices

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and timezone.now() > self.due_at

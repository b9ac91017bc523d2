"""Dates entered in the registers are evidence: once a row is entered they do not change.

A wrong date is put right by a *correction*: a new row whose ``corrects`` names the old one.
The old row stays as it was, marked as corrected (``corrected_by``), and drops out of the
deadlines and reminders; the new row carries the right dates from then on.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class FixedDateError(PermissionError):
    """A date of a register row was about to change after entry."""


class CorrectableMixin(models.Model):
    """A register row whose dates are fixed after entry and which a later row may correct.

    ``FIXED_DATES`` never change once the row exists; ``ONCE_SET_DATES`` are filled in once
    (when the step happens) and never change after that.
    """

    FIXED_DATES: tuple[str, ...] = ()
    ONCE_SET_DATES: tuple[str, ...] = ()

    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects the entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        help_text=_("A correction is a new entry: the old one stays as it was, marked corrected"),
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            self._fixed_dates_check(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @property
    def is_corrected(self) -> bool:
        """Has a later entry corrected this one? (``select_related("corrected_by")`` in lists.)"""
        try:
            getattr(self, "corrected_by")  # noqa: B009 - the reverse one-to-one raises when none
        except ObjectDoesNotExist:
            return False
        return True

    def _fixed_dates_check(self, update_fields: Iterable[str] | None) -> None:
        once = set(self.ONCE_SET_DATES)
        names = [*self.FIXED_DATES, *self.ONCE_SET_DATES, "corrects"]
        if update_fields is not None:
            names = [name for name in names if name in set(update_fields)]
        if not names:
            return
        attnames = {name: getattr(self._meta.get_field(name), "attname", name) for name in names}
        stored = type(self)._base_manager.filter(pk=self.pk).values(*attnames.values()).first()
        if stored is None:
            return
        for name, attname in attnames.items():
            before, now = stored[attname], getattr(self, attname)
            if before == now or (name in once and before is None):
                continue
            raise FixedDateError(
                f"{self._meta.verbose_name} № {self.pk}: {name} cannot change after entry; "
                "enter a correction instead."
            )

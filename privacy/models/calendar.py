"""Days the government moves in the work calendar, kept by staff (decrees come each year)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MovedDayOff(models.Model):
    """One date whose working status a government decree changes.

    Public holidays, and the days off moved from holidays on weekends by the Labour Code,
    come from the ``holidays`` package. The government also moves days off by decree (e.g. a
    Saturday becomes a working day so that the Monday between a weekend and a holiday is free),
    and the date of Kurban Ait is fixed each year: those dates are entered here and override
    the package.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Ticked: a working day (e.g. a Saturday worked); unticked: a day off"),
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("The decree, or why the day moved")
    )

    class Meta:
        verbose_name = _("day moved by the government")
        verbose_name_plural = _("days moved by the government")
        ordering = ["-date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date:%d.%m.%Y}: {kind}"

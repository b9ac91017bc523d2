"""The destruction trail: every run that destroyed or anonymised personal data, hash-chained."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models.ledger import ChainedModel


class DestructionRecord(ChainedModel):
    """One destruction run: which rule of the retention schedule, what was destroyed or made
    anonymous (and how many rows), when and why; rows kept under a legal hold are counted.
    Append-only and hash-chained like the consent ledger."""

    rule = models.CharField(_("rule of the schedule"), max_length=40, db_index=True)
    what = models.TextField(_("what was destroyed"))
    why = models.TextField(_("why"))
    scope = models.CharField(
        _("scope"), max_length=200, blank=True, help_text=_("E.g. the event whose data it was")
    )
    rows = models.PositiveIntegerField(_("rows destroyed or anonymised"), default=0)
    held = models.PositiveIntegerField(_("rows kept under a legal hold"), default=0)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ran_by_label = models.CharField(_("run by (label)"), max_length=100, blank=True)
    created_at = models.DateTimeField(
        _("run at"), default=timezone.now, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("destruction run")
        verbose_name_plural = _("destruction log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.rule}: {self.rows}"


class ChainCut(ChainedModel):
    """The anchor left where the retention run deleted a run of a trail's rows whose term had
    ended: the table, the first and last ids deleted, the hash the first one linked to (the row
    before the run, or the chain's genesis for a prefix) and the hash of the last one (the link
    the next remaining row names). ``privacy_verify`` steps over the gap through it, so the
    remaining rows are still checked and a deletion without an anchor is still found.
    Append-only and hash-chained itself."""

    chain_table = models.CharField(_("table"), max_length=63, db_index=True)
    first_id = models.BigIntegerField(_("first row deleted"))
    last_id = models.BigIntegerField(_("last row deleted"))
    before_hash = models.CharField(_("hash the first deleted row linked to"), max_length=64)
    last_hash = models.CharField(_("hash of the last deleted row"), max_length=64)
    rows = models.PositiveIntegerField(_("rows deleted"))
    rule = models.CharField(_("rule of the schedule"), max_length=40)
    why = models.TextField(_("why"))
    created_at = models.DateTimeField(
        _("cut at"), default=timezone.now, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("chain cut")
        verbose_name_plural = _("chain cuts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.chain_table} {self.first_id}–{self.last_id}: {self.rows}"

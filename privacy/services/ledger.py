"""Verifying the hash chains of the privacy trails, and telling staff when one is broken."""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from eventum.mail import email_enqueue
from privacy.chain import GENESIS, LATE_SEALS, REDACTABLE, late_seal, link_hash, row_canonical
from privacy.identity import ip_network
from privacy.models import (
    BlockingTransition,
    ChainCut,
    ChainedModel,
    ConsentRecord,
    ConsentWithdrawal,
    DestructionRecord,
    Disclosure,
    DisclosureSubject,
    WithdrawalAnswer,
)

CHAINED_MODELS: tuple[type[ChainedModel], ...] = (
    ConsentRecord,
    ConsentWithdrawal,
    WithdrawalAnswer,
    Disclosure,
    DisclosureSubject,
    BlockingTransition,
    DestructionRecord,
    ChainCut,
)
_CHUNK = 2000


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link of one table's chain."""

    table: str
    row_id: int
    problem: str

    def __str__(self) -> str:
        return f"{self.table}, row {self.row_id}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    table: str
    rows: int
    broken: ChainBreak | None


def _short(value: str) -> str:
    return f"{value[:12]}…" if value else "—"


def _shortened_wrongly(row: ChainedModel) -> str:
    """A shortenable column (left out of the hash) that holds something other than an address
    of the network sealed beside it; ``""`` when all is well."""
    for column, sealed in REDACTABLE.get(row._meta.db_table, {}).items():
        network, value = getattr(row, sealed, ""), getattr(row, column, None)
        if network and value is not None and ip_network(str(value)) != network:
            return column
    return ""


def _late_seal_holds(row: ChainedModel) -> bool:
    column = LATE_SEALS.get(row._meta.db_table)
    return not column or not getattr(row, column) or getattr(row, column) == late_seal(row)


def _link_of(row: ChainedModel) -> str | None:
    """The hash the row's link should have; ``None`` when it can no longer be computed: a row
    with a late seal whose address was shortened (the seal vouches for it instead)."""
    column = LATE_SEALS.get(row._meta.db_table)
    if not column or not getattr(row, column):
        return link_hash(row.chain_previous, row_canonical(row))
    for shortenable, sealed in REDACTABLE.get(row._meta.db_table, {}).items():
        value = getattr(row, shortenable)
        if value is not None and _same_address(str(value), getattr(row, sealed)):
            return None
    return link_hash(row.chain_previous, row_canonical(row, as_first_sealed=True))


def _same_address(value: str, network: str) -> bool:
    try:
        return ipaddress.ip_address(value) == ipaddress.ip_address(network)
    except ValueError:
        return value == network


def _cuts_of(table: str) -> dict[str, list[ChainCut]]:
    """The anchors the retention run left in a table's chain, by the hash their run followed."""
    cuts: dict[str, list[ChainCut]] = {}
    if table == ChainCut._meta.db_table:
        return cuts  # the anchors' own chain is never cut
    for cut in ChainCut.objects.filter(chain_table=table).order_by("pk"):
        cuts.setdefault(cut.before_hash, []).append(cut)
    return cuts


def _over_cuts(
    cuts: dict[str, list[ChainCut]], previous: str, previous_id: int | None, row: ChainedModel
) -> str:
    """Step from ``previous`` (the last row seen, or the genesis) over the runs the retention
    run deleted right after it, up to ``row``; return the hash the row should name. Only an
    anchor whose run lies between the two rows counts; adjacent runs are followed in turn."""
    used: set[int] = set()
    start = previous
    while row.chain_previous != previous:
        cut = next(
            (
                cut
                for cut in cuts.get(previous, [])
                if cut.pk not in used
                and (previous_id is None or cut.first_id > previous_id)
                and cut.last_id < row.pk
            ),
            None,
        )
        if cut is None:
            break
        used.add(cut.pk)
        previous, previous_id = cut.last_hash, cut.last_id
    return previous if row.chain_previous == previous else start


def chain_verify(model: type[ChainedModel]) -> ChainReport:
    """Walk one table's chain in insertion order; stop at the first broken link.

    A row whose ``chain_previous`` is not the hash of the row before it means a row was removed
    or slipped in there (or the previous row's hash was rewritten); a row whose content no
    longer gives its ``chain_hash`` was changed after it was written. Runs of rows deleted by
    the retention run are stepped over through the anchors (``ChainCut``) left for them.
    """
    table = model._meta.db_table
    cuts = _cuts_of(table)
    previous, previous_id, rows = GENESIS, None, 0
    for row in model._base_manager.order_by("pk").iterator(chunk_size=_CHUNK):
        rows += 1
        if row.chain_previous != previous:
            previous = _over_cuts(cuts, previous, previous_id, row)
        if row.chain_previous != previous:
            if previous_id is None:
                where = _("it should be the first row of the chain")
            else:
                where = _("the row before it (id %(id)s) has %(hash)s") % {
                    "id": previous_id,
                    "hash": _short(previous),
                }
            problem = _(
                "the link to the previous row is broken: the row names %(named)s, but "
                "%(where)s; a row was removed or inserted before it, or the previous row's "
                "hash was rewritten"
            ) % {"named": _short(row.chain_previous), "where": where}
            return ChainReport(table, rows, ChainBreak(table, row.pk, problem))
        shortened = _shortened_wrongly(row)
        if shortened:
            problem = _(
                "the row's %(column)s is neither the address recorded nor its network sealed "
                "in the row: it was changed after it was written"
            ) % {"column": shortened}
            return ChainReport(table, rows, ChainBreak(table, row.pk, problem))
        if not _late_seal_holds(row):
            problem = _(
                "the row's content does not match the seal it was given when its IP address "
                "became shortenable: it was changed after it was written"
            )
            return ChainReport(table, rows, ChainBreak(table, row.pk, problem))
        computed = _link_of(row)
        if computed is not None and computed != row.chain_hash:
            problem = _(
                "the row's content does not match its hash (stored %(stored)s, computed "
                "%(computed)s): it was changed after it was written"
            ) % {"stored": _short(row.chain_hash), "computed": _short(computed)}
            return ChainReport(table, rows, ChainBreak(table, row.pk, problem))
        previous, previous_id = row.chain_hash, row.pk
    return ChainReport(table, rows, None)


def ledger_verify() -> list[ChainReport]:
    """Verify every chained table (consents, withdrawals and their answers, disclosures and
    their subjects, blocking steps, destruction runs); one report per table."""
    return [chain_verify(model) for model in CHAINED_MODELS]


def ledger_verify_and_notify() -> list[ChainBreak]:
    """The daily check: verify the chains and e-mail ``STAFF_NOTIFICATION_EMAILS`` when one is
    broken. Returns the breaks found (none: nothing is sent)."""
    breaks = [report.broken for report in ledger_verify() if report.broken is not None]
    if not breaks or not settings.STAFF_NOTIFICATION_EMAILS:
        return breaks
    with translation.override(settings.LANGUAGE_CODE):
        context = {"breaks": breaks}
        subject = render_to_string("privacy/email/ledger_broken_subject.txt", context).strip()
        body = render_to_string("privacy/email/ledger_broken.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=list(settings.STAFF_NOTIFICATION_EMAILS)
    )
    with transaction.atomic():
        email_enqueue(message)
    return breaks

"""Append-only trails, and the hash chain that makes them tamper-evident (``privacy.chain``)."""

import zlib
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connections, models, router, transaction
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from eventum.rows import Statement, instances_insert, instances_insert_statements, statements_run
from privacy.chain import GENESIS, row_seal

# The first key of every chain's PostgreSQL advisory lock (the second names the table).
_LOCK_NAMESPACE = zlib.crc32(b"privacy.chain") & 0x7FFFFFFF


_Row = TypeVar("_Row", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_Row]):
    """Rows of a trail: created once, never updated or deleted (also refused by PostgreSQL)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self._meta.verbose_name_plural} are append-only.")


def chain_heads_lock(*chained: type[models.Model], using: str) -> list[str]:
    """Lock these tables' chains, in the order given, until the transaction ends; return the
    hash of each one's last row (the genesis for an empty one). One round trip however many.

    Two inserts at once must not both link to the same row (the chain would fork): on
    PostgreSQL a transaction-level advisory lock per table serialises them; SQLite serialises
    writes anyway. Must be called inside a transaction.
    """
    return chain_heads_of(statements_run(using, chain_heads_lock_statements(*chained, using=using)))


def chain_heads_lock_statements(*chained: type[models.Model], using: str) -> list[Statement]:
    """``chain_heads_lock``'s statements, for a caller to send with its own in one round trip
    (``statements_run``) inside its transaction; ``chain_heads_of`` reads the heads from their
    results."""
    connection = connections[using]
    quote = connection.ops.quote_name
    heads = "SELECT " + ", ".join(
        f"(SELECT chain_hash FROM {quote(model._meta.db_table)}"
        f" ORDER BY {quote(model._meta.pk.attname)} DESC LIMIT 1)"
        for model in chained
    )
    statements: list[Statement] = []
    if connection.vendor == "postgresql":
        keys = [zlib.crc32(model._meta.db_table.encode()) & 0x7FFFFFFF for model in chained]
        locks = "SELECT " + ", ".join("pg_advisory_xact_lock(%s, %s)" for _ in keys)
        statements.append((locks, [v for key in keys for v in (_LOCK_NAMESPACE, key)]))
    # sent with the locks (one round trip), yet a statement of its own after them: its
    # snapshot sees every row committed before they were granted
    statements.append((heads, []))
    return statements


def chain_heads_of(results: list[list[tuple[Any, ...]]]) -> list[str]:
    """The heads ``chain_heads_lock_statements`` read: the last of ``results`` is theirs."""
    (row,) = results[-1]
    return [head or GENESIS for head in row]


def chain_head_lock(model: type[models.Model], using: str) -> str:
    """``chain_heads_lock`` for one table."""
    return chain_heads_lock(model, using=using)[0]


def _files_commit(row: models.Model) -> None:
    # A FileField settles its stored name only when saved: settle it before hashing.
    for field in row._meta.concrete_fields:
        if isinstance(field, models.FileField):
            field.pre_save(row, True)


class ChainedQuerySet(AppendOnlyQuerySet[_Row]):
    def bulk_create(self, objs: Iterable[_Row], *args: Any, **kwargs: Any) -> list[_Row]:
        """Chain the rows in the order given, then insert them in that order."""
        objs = list(objs)
        using = self.db
        with transaction.atomic(using=using, savepoint=False):
            previous = chain_head_lock(self.model, using)
            for obj in objs:
                _files_commit(obj)
                previous = row_seal(obj, previous)
            return super().bulk_create(objs, *args, **kwargs)

    def append_statements(self, objs: Iterable[_Row], *, head: str) -> list[Statement]:
        """Chain the rows in the order given after ``head``; the statements inserting them,
        for the caller to send with its own in this transaction (``statements_run``), when it
        has locked the chain and read its head there already (``chain_heads_lock_statements``
        sent with its own statements)."""
        objs = list(objs)
        using = self.db
        if not connections[using].in_atomic_block:
            raise transaction.TransactionManagementError(
                "A chain's head is known only under its lock, inside a transaction."
            )
        previous = head
        for obj in objs:
            _files_commit(obj)
            previous = row_seal(obj, previous)
        return instances_insert_statements(objs, using=using)


class ConsentLedgerQuerySet(ChainedQuerySet[_Row]):
    def ip_addresses_shorten(self) -> int:
        """The one change the ledger allows: an IP address becomes the network sealed beside
        it (``privacy.chain.REDACTABLE``); PostgreSQL's trigger allows exactly this too."""
        shortened = Cast("ip_network", output_field=models.GenericIPAddressField())
        due = self.exclude(ip_network="").exclude(ip_address__isnull=True)
        due = due.exclude(ip_address=shortened)
        return models.QuerySet.update(due, ip_address=shortened)


class ChainedModel(AppendOnlyModel):
    """An append-only row that carries the hash of the row before it in its table."""

    chain_previous = models.CharField(
        _("hash of the previous row"), max_length=64, editable=False, default=""
    )
    chain_hash = models.CharField(_("row hash"), max_length=64, editable=False, default="")

    objects = ChainedQuerySet.as_manager()  # type: ignore[misc]  # a narrower manager

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            previous = chain_head_lock(type(self), using)
            _files_commit(self)
            row_seal(self, previous)
            if args or set(kwargs) - {"using", "force_insert"}:
                super().save(*args, **kwargs)
            else:  # the common insert, without the ORM's build of it (see eventum.rows)
                instances_insert([self], using=using)

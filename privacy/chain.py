"""The hash chain that makes the privacy trails tamper-evident.

Every row of a chained table stores the hash of the row before it (``chain_previous``) and its
own ``chain_hash = sha256(chain_previous + canonical serialisation of the row)``. Changing a
row, removing one or slipping one in between breaks a link that ``privacy_verify`` finds.

The serialisation is the row's concrete fields except the id and the two chain columns, by
column name, as compact JSON with sorted keys. Empty values (``None``, ``""``) are left out, so
a column added later with an empty default leaves the rows sealed before it intact; a column
added to a chained table must therefore be nullable or blank for the rows that exist.

Plain functions on purpose: the migrations that seal existing rows call them on historical
models, and the models and ``privacy_verify`` call the same code.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

GENESIS = "0" * 64  # the "previous hash" of a table's first row
CHAIN_COLUMNS = ("chain_previous", "chain_hash")
# Columns the retention schedule may shorten after sealing: (table, column) → the sealed column
# that holds the shortened value from the start. A row whose sealed column is filled is hashed
# without the shortenable one, so ``ip_address`` can later become ``ip_network`` (its /24 or /48
# network, sealed) and the chain still holds; rows written before had no such column and are
# hashed as they were.
REDACTABLE: dict[str, dict[str, str]] = {
    "privacy_consentrecord": {"ip_address": "ip_network"},
}
# Rows sealed before their table had the sealed column hashed the shortenable one itself, so
# shortening it would break their link. A migration (run as the database owner, while each such
# row still verified) filled the sealed column and wrote a second seal beside the link: table →
# the column holding ``sha256(chain_hash + the row's content without the shortenable column)``.
# ``privacy_verify`` checks that seal, and the original hash for as long as the full value is
# there; the chain's links are never rewritten.
LATE_SEALS: dict[str, str] = {
    "privacy_consentrecord": "ip_seal",
}


def _plain(field: models.Field, value: Any) -> Any:
    value = field.get_prep_value(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_canonical(row: models.Model, *, as_first_sealed: bool = False) -> str:
    """The row's content as hashed: stable between the object saved and the row read back.

    ``as_first_sealed``: for a row given a late seal, its content as its link hashed it (the
    shortenable column itself, without the sealed columns added since)."""
    data: dict[str, Any] = {}
    table = row._meta.db_table
    redactable = REDACTABLE.get(table, {})
    left_out = {LATE_SEALS.get(table, "")}
    if as_first_sealed:
        left_out |= set(redactable.values())
    else:
        left_out |= {column for column, sealed in redactable.items() if getattr(row, sealed, "")}
    for field in row._meta.concrete_fields:
        if field.primary_key or field.attname in CHAIN_COLUMNS or field.attname in left_out:
            continue
        value = _plain(field, getattr(row, field.attname))
        if value is None or value == "":
            continue
        data[field.attname] = value
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def values_canonical(model: type[models.Model], values: Mapping[str, Any]) -> str:
    """``row_canonical`` of a row of ``model`` holding these values (by attribute name, every
    hashed column given), without building the model: for rows written by a hand-written
    ``INSERT``. Not for tables with a shortenable column (``REDACTABLE``)."""
    if model._meta.db_table in REDACTABLE:
        raise ValueError(f"{model._meta.db_table} has shortenable columns: seal its rows")
    data: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in CHAIN_COLUMNS:
            continue
        if field.attname not in values:
            raise ValueError(f"{model._meta.db_table}.{field.attname} is hashed: give its value")
        value = _plain(field, values[field.attname])
        if value is None or value == "":
            continue
        data[field.attname] = value
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def link_hash(previous: str, canonical: str) -> str:
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()


def row_seal(row: models.Model, previous: str) -> str:
    """Set the row's chain columns, linking it to ``previous`` (the hash of the row before);
    return the row's own hash (the next row's ``previous``)."""
    sealed = link_hash(previous, row_canonical(row))
    setattr(row, "chain_previous", previous)  # noqa: B010 (columns of ChainedModel rows)
    setattr(row, "chain_hash", sealed)  # noqa: B010
    return sealed


def late_seal(row: models.Model) -> str:
    """The second seal of a row sealed before its table's sealed column existed: its link hash
    and its content without the shortenable column (``LATE_SEALS``)."""
    return link_hash(row.chain_hash, row_canonical(row))  # type: ignore[attr-defined]


def row_late_seal(row: models.Model, network_of: Any) -> bool:
    """Give an early row (sealed column empty, shortenable column filled) its late seal: fill
    the sealed column with ``network_of(value)`` and the seal column. Refused (``False``, row
    untouched) when the row no longer matches its own hash: sealing would launder a change."""
    table = row._meta.db_table
    seal_column = LATE_SEALS.get(table)
    if seal_column is None or getattr(row, seal_column):
        return False
    if link_hash(row.chain_previous, row_canonical(row)) != row.chain_hash:  # type: ignore[attr-defined]
        return False
    filled = False
    for column, sealed in REDACTABLE.get(table, {}).items():
        value = getattr(row, column)
        if value is not None and value != "" and not getattr(row, sealed):
            setattr(row, sealed, network_of(str(value)))
            filled = True
    if not filled:
        return False
    setattr(row, seal_column, late_seal(row))
    return True

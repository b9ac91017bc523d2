"""CSV and XLSX files the portal writes, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)`` leaks data, ``=cmd|...`` runs
programs on old Excel). Every writer here passes every cell, headers included, through
``escape_cell``, which puts an apostrophe in front of such text (the OWASP "CSV injection"
advice) unless the whole cell is a number. The apostrophe is part of the value, so it is the
same in CSV and XLSX and a reader can see that the text was escaped.

Columns have a ``CellKind``: free text typed by a buyer or an organizer (``TEXT``) is escaped
even when it looks like a number, because a name ``-2`` is still a name; amounts (``NUMBER``)
are written as numbers in XLSX; phones (``PHONE``) are text cells with the ``@`` format, so
``+77011234567`` never becomes a number or a formula.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class CellKind(StrEnum):
    AUTO = "auto"  # escaped unless the whole cell is a number
    TEXT = "text"  # free text: escaped even when it looks like a number
    NUMBER = "number"  # an amount: a numeric string is an XLSX number
    PHONE = "phone"  # kept as it is when it is +digits; an XLSX text cell


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")
XLSX_TEXT_FORMAT = "@"
XLSX_MONEY_FORMAT = "0.00"
ILLEGAL_SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")  # characters Excel refuses in a sheet name


def is_number(text: str) -> bool:
    """Is the whole text a plain number (``-5``, ``12.50``, ``+77011234567``)?"""
    return bool(_NUMBER.match(text))


def escape_cell(value: Any, kind: CellKind = CellKind.AUTO) -> Any:
    """The value to write in a cell so that no spreadsheet runs it as a formula.

    Numbers, dates and empty cells are returned as they are; anything else becomes text, with
    a leading ``'`` when it starts like a formula (unless it is a plain number and the column
    is not free text).
    """
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return value
    text = str(value)
    if not text.startswith(FORMULA_STARTS):
        return text
    if kind != CellKind.TEXT and is_number(text):
        return text
    return "'" + text


def _kinds(kinds: Sequence[CellKind] | None, width: int) -> list[CellKind]:
    kinds = list(kinds or [])
    return kinds[:width] + [CellKind.AUTO] * (width - len(kinds))


def csv_bytes(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    kinds: Sequence[CellKind] | None = None,
) -> bytes:
    """A UTF-8 CSV with a BOM (so Excel reads the Cyrillic), every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape_cell(h, CellKind.TEXT) for h in headers])
    for row in rows:
        row_kinds = _kinds(kinds, len(row))
        writer.writerow([escape_cell(v, k) for v, k in zip(row, row_kinds, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value: Any, kind: CellKind):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        # XML cannot hold most control characters: drop them first, then escape what is left.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = escape_cell(value, kind)
    number_format = None
    if kind == CellKind.NUMBER and isinstance(value, str) and is_number(value):
        number_format = XLSX_MONEY_FORMAT if "." in value else None
        value = Decimal(value)
    elif kind == CellKind.PHONE:
        number_format = XLSX_TEXT_FORMAT
        value = "" if value is None else str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, whatever openpyxl would guess from the first character
    if number_format:
        cell.number_format = number_format
    return cell


def xlsx_bytes(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    kinds: Sequence[CellKind] | None = None,
) -> bytes:
    """An XLSX workbook of one sheet, every cell escaped, phones as text cells."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_SHEET_TITLE.sub("", str(title))[:31] or "Sheet")
    sheet.append([_xlsx_cell(sheet, h, CellKind.TEXT) for h in headers])
    for row in rows:
        row_kinds = _kinds(kinds, len(row))
        sheet.append([_xlsx_cell(sheet, v, k) for v, k in zip(row, row_kinds, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

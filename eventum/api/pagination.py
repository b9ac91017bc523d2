"""Cursor pagination: ``?cursor=<opaque>&limit=<n>``, answered with ``next_cursor`` (null on
the last page).

A cursor remembers the sort values of the last row given (keyset), so rows added or removed
meanwhile neither repeat nor skip a row on the next page. A list ordered by a computed rank
(search) remembers its offset instead. Cursors are signed: a forged one is a 400, not a
strange page.
"""

from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from eventum.api.errors import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_SALT = "eventum.api.cursor"
# Orderings that cannot serve as a keyset (floats computed per query): paged by offset.
_OFFSET_ORDERINGS = ("search_rank", "-search_rank")

INVALID_CURSOR = _("The cursor is not valid; start again from the first page.")


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        return datetime.fromisoformat(value["dt"])
    return value


def _decode(cursor: str, ordering: list[str]) -> dict[str, Any]:
    try:
        position = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature as exc:
        raise ApiError("invalid_cursor", INVALID_CURSOR) from exc
    if not isinstance(position, dict) or position.get("o") != ordering:
        raise ApiError("invalid_cursor", INVALID_CURSOR)
    return position


def _after(ordering: list[str], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (lexicographic, each field's direction)."""
    condition = Q()
    equal = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value})
        condition |= equal & step
        equal &= Q(**{name: value})
    return condition


def cursor_slice(
    qs: QuerySet[Any], *, cursor: str | None, limit: int
) -> tuple[list[int], str | None]:
    """The primary keys of one page of ``qs`` (in its order) and the cursor of the next."""
    ordering = [str(field) for field in qs.query.order_by]
    if not ordering or ordering[-1].lstrip("-") not in ("id", "pk"):
        ordering.append("id")
        qs = qs.order_by(*ordering)
    position = _decode(cursor, ordering) if cursor else None
    if any(field in _OFFSET_ORDERINGS for field in ordering):
        offset = int(position["n"]) if position else 0
        ids = list(qs.values_list("pk", flat=True)[offset : offset + limit + 1])
        following = {"o": ordering, "n": offset + limit}
    else:
        if position:
            qs = qs.filter(_after(ordering, [_decode_value(v) for v in position["v"]]))
        names = [field.lstrip("-") for field in ordering]
        rows = list(qs.values_list("pk", *names)[: limit + 1])
        ids = [row[0] for row in rows]
        following = (
            {"o": ordering, "v": [_encode_value(v) for v in rows[limit - 1][1:]]}
            if len(rows) > limit
            else {}
        )
    if len(ids) <= limit:
        return ids, None
    return ids[:limit], signing.dumps(following, salt=_SALT)


def page_rows(rows: list[Model], ids: list[int]) -> list[Model]:
    """``rows`` in the order of ``ids``."""
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]

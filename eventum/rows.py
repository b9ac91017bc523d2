"""Model rows read and written by statements built once per shape, not once per call.

The ORM builds a query's SQL anew on every call, and for the order path's wide, translated
models that cost 0.5–1.5 ms of CPU against 0.1–0.2 ms for the database to answer. A
``RowQuery`` builds its statement once per database kind from the models' metadata, and turns
the rows into instances exactly as the ORM does: each column through the backend's and the
field's converters, ``Model.from_db`` (so unselected fields are deferred), related instances
cached on their parents as ``select_related`` caches them. ``rows_insert`` and
``instances_insert`` write rows the same way (``pre_save`` and ``get_db_prep_save`` per field,
as the ORM's insert). Everything goes through Django's cursor: transactions, the query log and
tests' query counts see these statements like any other.

No model signals are sent: use these only for models without ``pre_save``/``post_save``
receivers, on paths where the ORM's cost was measured to matter.
"""

from __future__ import annotations

import dataclasses
import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

import psycopg
from django.db import connections, router
from django.db.models import Field, ForeignKey, Model
from django.db.models.expressions import RawSQL

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]

Statement = tuple[str, Sequence[Any]]  # SQL and its parameters

# SQLite allows 999 parameters a statement (32,766 since 3.32); within both
_PARAMETERS_A_STATEMENT = 800


@dataclass(frozen=True)
class _Segment:
    """One model's columns in a row: where they start, how to convert and build them."""

    path: str  # "" for the query's model, else the select_related path ("event__organizer")
    model: type[Model]
    attnames: tuple[str, ...]
    converters: tuple[tuple[Converter, ...], ...]
    columns: tuple[Any, ...]  # each field's column expression, given to its converters
    link: ForeignKey | None  # the parent's foreign key this instance is cached on
    parent: int  # index of the parent segment (-1 for the query's model)


@dataclass(frozen=True)
class _Plan:
    sql: str
    segments: tuple[_Segment, ...]
    extras: tuple[tuple[str, tuple[Converter, ...], RawSQL], ...]
    expanded: dict[tuple[int, ...], str] = dataclasses.field(default_factory=dict)

    def statement(self, lengths: tuple[int, ...]) -> str:
        """The SQL with each list's ``%l`` as that many parameters."""
        if not lengths:
            return self.sql
        sql = self.expanded.get(lengths)
        if sql is None:
            parts = self.sql.split("%l")
            if len(parts) != len(lengths) + 1:
                raise ValueError("one list parameter for each %l")
            sql = parts[0] + "".join(
                "(" + ", ".join(["%s"] * length) + ")" + rest
                for length, rest in zip(lengths, parts[1:], strict=True)
            )
            self.expanded[lengths] = sql
        return sql


def _adapted(connection: Any, value: Any) -> Any:
    """A parameter as the ORM would send it (SQLite keeps times as naive UTC text and UUIDs
    as hex)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
        return value.hex
    return value


def _converters(connection: Any, expression: Any) -> tuple[Converter, ...]:
    return tuple(
        connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
    )


def _fields(model: type[Model], names: Sequence[str] | None) -> list[Field[Any, Any]]:
    """The concrete fields named (all when ``None``), the primary key always, in the model's
    column order (``Model.from_db`` expects that order)."""
    concrete = model._meta.concrete_fields
    if names is None:
        return list(concrete)
    by_name = {field.name: field.attname for field in concrete}
    wanted = {by_name[name] for name in names} | {model._meta.pk.attname}
    return [field for field in concrete if field.attname in wanted]


class RowQuery(Generic[M]):
    """A SELECT of ``model``'s fields and of its to-one relations' (``related``: path → field
    names, ``None`` for all), with ``where`` (and ``order_by``) written out in SQL.

    In ``where``, ``order_by`` and the ``extra`` columns' SQL, ``{table}`` names the model's
    table and ``{path}`` (``{event}``, ``{ticket_type__session}``) each related table. Extra
    columns (name → ``RawSQL`` without parameters) are set as attributes of the model's
    instances. A list parameter goes where ``where`` says ``IN %l``. ``lock`` locks the
    model's rows (``FOR UPDATE OF`` them) where the database can."""

    def __init__(
        self,
        model: type[M],
        *,
        where: str,
        fields: Sequence[str] | None = None,
        related: dict[str, Sequence[str] | None] | None = None,
        extra: dict[str, RawSQL] | None = None,
        order_by: str = "",
        limit: int | None = None,
        lock: bool = False,
    ) -> None:
        self.model = model
        self.where = where
        self.fields = fields
        self.related = dict(related or {})
        self.extra = dict(extra or {})
        self.order_by = order_by
        self.limit = limit
        self.lock = lock
        self._plans: dict[str, _Plan] = {}

    def _plan(self, connection: Any) -> _Plan:
        plan = self._plans.get(connection.vendor)
        if plan is None:
            plan = self._plans[connection.vendor] = self._build(connection)
        return plan

    def _build(self, connection: Any) -> _Plan:
        quote = connection.ops.quote_name
        base = quote(self.model._meta.db_table)
        aliases = {"table": base}
        models: dict[str, type[Model]] = {"": self.model}
        inner: dict[str, bool] = {"": True}
        joins: list[str] = []
        segments: list[_Segment] = []
        columns: list[str] = []
        paths = ["", *sorted(self.related, key=lambda path: path.count("__"))]
        for path in paths:
            parent_path, _, name = path.rpartition("__")
            link: ForeignKey | None = None
            if path:
                if parent_path not in models:
                    raise ValueError(f"{path}: its parent {parent_path!r} is not in related")
                link = models[parent_path]._meta.get_field(name)  # type: ignore[assignment]
                if not isinstance(link, ForeignKey):
                    raise ValueError(f"{path}: not a foreign key")
                aliases[path] = quote(path)
                models[path] = link.related_model
                inner[path] = inner[parent_path] and not link.null
                parent_alias = aliases[parent_path or "table"]
                joins.append(
                    f"{'INNER' if inner[path] else 'LEFT OUTER'} JOIN"
                    f" {quote(models[path]._meta.db_table)} {aliases[path]}"
                    f" ON {aliases[path]}.{quote(link.target_field.column)}"
                    f" = {parent_alias}.{quote(link.column)}"
                )
            alias = aliases[path or "table"]
            chosen = _fields(models[path], self.related[path] if path else self.fields)
            columns += [f"{alias}.{quote(field.column)}" for field in chosen]
            cols = tuple(field.get_col(alias) for field in chosen)
            segments.append(
                _Segment(
                    path=path,
                    model=models[path],
                    attnames=tuple(field.attname for field in chosen),
                    converters=tuple(_converters(connection, col) for col in cols),
                    columns=cols,
                    link=link,
                    parent=paths.index(parent_path) if path else -1,
                )
            )
        extras = []
        for name, raw in self.extra.items():
            if raw.params:
                raise ValueError(f"{name}: extra columns take no parameters")
            expression = RawSQL(raw.sql.format(**aliases), (), output_field=raw.output_field)
            columns.append(f"({expression.sql}) AS {quote(name)}")
            extras.append((name, _converters(connection, expression), expression))
        statement = f"SELECT {', '.join(columns)} FROM {base}"
        if joins:
            statement += " " + " ".join(joins)
        statement += f" WHERE {self.where.format(**aliases)}"
        if self.order_by:
            statement += f" ORDER BY {self.order_by.format(**aliases)}"
        if self.limit is not None:
            statement += f" LIMIT {int(self.limit)}"
        if self.lock and connection.features.has_select_for_update:
            statement += " FOR UPDATE"
            if joins and connection.features.has_select_for_update_of:
                statement += f" OF {base}"
        return _Plan(sql=statement, segments=tuple(segments), extras=tuple(extras))

    def _using(self, using: str | None) -> str:
        return using or (
            router.db_for_write(self.model) if self.lock else router.db_for_read(self.model)
        )

    def statement(self, *params: Any, using: str | None = None) -> Statement:
        """The SELECT with ``params``, to send with others (``statements_run``); ``built``
        turns its rows into the instances. A list parameter must not be empty."""
        connection = connections[self._using(using)]
        plan = self._plan(connection)
        lengths = tuple(len(p) for p in params if isinstance(p, list | tuple))
        if 0 in lengths:
            raise ValueError("IN () selects nothing: do not ask")
        flat = []
        for param in params:
            if isinstance(param, list | tuple):
                flat += [_adapted(connection, value) for value in param]
            else:
                flat.append(_adapted(connection, param))
        return plan.statement(lengths), flat

    def built(self, rows: Sequence[Sequence[Any]], *, using: str | None = None) -> list[M]:
        """The instances of ``rows`` that ``statement`` selected."""
        using = self._using(using)
        connection = connections[using]
        plan = self._plan(connection)
        return [self._instance(plan, row, using, connection) for row in rows]

    def all(self, *params: Any, using: str | None = None) -> list[M]:
        """The instances of the rows ``where`` selects with ``params``."""
        if any(isinstance(p, list | tuple) and not p for p in params):
            return []  # IN () selects nothing
        using = self._using(using)
        sql, flat = self.statement(*params, using=using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, flat)
            rows = cursor.fetchall()
        return self.built(rows, using=using)

    def first(self, *params: Any, using: str | None = None) -> M | None:
        found = self.all(*params, using=using)
        return found[0] if found else None

    @staticmethod
    def _instance(plan: _Plan, row: Sequence[Any], using: str, connection: Any) -> Any:
        position = 0
        built: list[Model | None] = []
        for segment in plan.segments:
            values = []
            for converters, column in zip(segment.converters, segment.columns, strict=True):
                value = row[position]
                position += 1
                for convert in converters:
                    value = convert(value, column, connection)
                values.append(value)
            instance = None
            if values[segment.attnames.index(segment.model._meta.pk.attname)] is not None:
                instance = segment.model.from_db(using, list(segment.attnames), values)
            built.append(instance)
            if segment.link is not None:
                parent = built[segment.parent]
                if parent is not None:
                    segment.link.set_cached_value(parent, instance)
        base = built[0]
        for name, converters, expression in plan.extras:
            value = row[position]
            position += 1
            for convert in converters:
                value = convert(value, expression, connection)
            setattr(base, name, value)
        return base


@functools.cache
def _inserted_fields(model: type[Model]) -> tuple[Field[Any, Any], ...]:
    """Every column but a primary key the database numbers itself."""
    auto = model._meta.auto_field
    fields = tuple(field for field in model._meta.concrete_fields if field is not auto)
    if any(field.has_db_default() for field in fields):
        raise ValueError(f"{model.__name__}: a field with a database default")
    return fields


_INSERTS: dict[tuple[str, type[Model], int, bool], str] = {}


def _insert_statement(connection: Any, model: type[Model], rows: int, skip_taken: bool) -> str:
    key = (connection.vendor, model, rows, skip_taken)
    sql = _INSERTS.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        fields = _inserted_fields(model)
        columns = ", ".join(quote(field.get_attname_column()[1] or "") for field in fields)
        row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = _INSERTS[key] = (
            f"INSERT INTO {quote(model._meta.db_table)} ({columns})"
            f" VALUES {', '.join([row_marks] * rows)}"
            f"{' ON CONFLICT DO NOTHING' if skip_taken else ''}"
            f" RETURNING {quote(model._meta.pk.get_attname_column()[1] or '')}"
        )
    return sql


def _rows_insert_statements(
    model: type[Model], rows: Sequence[dict[str, Any]], *, using: str, skip_taken: bool = False
) -> list[Statement]:
    """The INSERTs of ``rows`` (every column's value by attribute name), a few hundred values
    a statement, each returning the ids of its rows in the order of its VALUES (PostgreSQL and
    SQLite both; the ORM's bulk insert relies on it too)."""
    connection = connections[using]
    fields = _inserted_fields(model)
    per_statement = max(_PARAMETERS_A_STATEMENT // len(fields), 1)
    statements: list[Statement] = []
    for start in range(0, len(rows), per_statement):
        batch = rows[start : start + per_statement]
        statements.append(
            (
                _insert_statement(connection, model, len(batch), skip_taken),
                [
                    field.get_db_prep_save(row[field.attname], connection)
                    for row in batch
                    for field in fields
                ],
            )
        )
    return statements


def _instance_row(instance: Model) -> dict[str, Any]:
    """A new instance's columns as the ORM's insert takes them (each field's ``pre_save``:
    ``auto_now_add`` times set on the instance too)."""
    fields = _inserted_fields(type(instance))
    return {field.attname: field.pre_save(instance, True) for field in fields}


def rows_insert(
    model: type[Model], rows: Sequence[dict[str, Any]], *, using: str, skip_taken: bool = False
) -> list[Any]:
    """Insert ``rows`` (every column's value by attribute name) in the order given, a few
    hundred a statement; the ids given to them, in that order. ``skip_taken``: a row whose
    unique value another row holds is left out, not refused (``ON CONFLICT DO NOTHING``, on
    PostgreSQL and SQLite alike; other constraints still refuse it), and has no id."""
    ids: list[Any] = []
    with connections[using].cursor() as cursor:
        for sql, params in _rows_insert_statements(model, rows, using=using, skip_taken=skip_taken):
            cursor.execute(sql, params)
            ids += [pk for (pk,) in cursor.fetchall()]
    return ids


def instances_insert(instances: Iterable[M], *, using: str | None = None) -> list[M]:
    """Insert new instances of one model as the ORM's ``save`` would (each field's
    ``pre_save``: ``auto_now_add`` times set), without signals; each gets its id."""
    instances = list(instances)
    if not instances:
        return instances
    using = using or router.db_for_write(type(instances[0]))
    written = statements_run(using, instances_insert_statements(instances, using=using))
    instances_inserted(instances, [row for rows in written for row in rows], using=using)
    return instances


def instance_insert_unless_taken(instance: Model, *, using: str | None = None) -> bool:
    """Insert one new instance as ``instances_insert`` does, unless another row holds one of
    its unique values: then nothing is written and ``False`` (no savepoint needed to try)."""
    using = using or router.db_for_write(type(instance))
    ids = rows_insert(type(instance), [_instance_row(instance)], using=using, skip_taken=True)
    if not ids:
        return False
    instances_inserted([instance], [(ids[0],)], using=using)
    return True


_UPDATES: dict[tuple[str, type[Model], tuple[str, ...]], str] = {}


def instance_update_statement(instance: Model, fields: Sequence[str], *, using: str) -> Statement:
    """The statement writing these fields of a stored instance to its row, as
    ``save(update_fields=...)`` does (each field's ``pre_save`` applied now: an ``auto_now``
    time set), to send alone (``instance_update``) or with others (``statements_run``)."""
    model = type(instance)
    connection = connections[using]
    chosen = [cast("Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    key = (connection.vendor, model, tuple(fields))
    sql = _UPDATES.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column or '')} = %s" for field in chosen)
        sql = _UPDATES[key] = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments}"
            f" WHERE {quote(model._meta.pk.get_attname_column()[1] or '')} = %s"
        )
    params = [
        field.get_db_prep_save(field.pre_save(instance, False), connection) for field in chosen
    ]
    params.append(model._meta.pk.get_db_prep_save(instance.pk, connection))
    return sql, params


def instance_update(instance: Model, fields: Sequence[str], *, using: str | None = None) -> bool:
    """Write these fields of a stored instance to its row (``instance_update_statement``),
    without signals; ``False`` when no row has the instance's id."""
    using = using or router.db_for_write(type(instance))
    sql, params = instance_update_statement(instance, fields, using=using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


def statements_run(using: str, statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """Run ``statements`` in order; each one's rows (none for a statement without a result).

    Sent in one round trip where the database takes several statements at once (PostgreSQL,
    through Django's client-side binding cursor): each still runs on its own, with its own
    snapshot, seeing what the ones before it wrote and any row committed before it began.
    Elsewhere (SQLite, or PostgreSQL binding on the server) one by one."""
    connection = connections[using]
    results: list[list[tuple[Any, ...]]] = []
    with connection.cursor() as cursor:
        together = (
            len(statements) > 1
            and connection.vendor == "postgresql"
            and isinstance(cursor.cursor, psycopg.ClientCursor)
        )
        if together:
            cursor.execute(
                "; ".join(sql for sql, _ in statements),
                [param for _, params in statements for param in params],
            )
            # psycopg's own cursor from here: an error was raised (and translated) by execute,
            # and ``rownumber`` tells a result with rows without building ``description``'s
            # columns on every look (about 4 % of an order's CPU under the profiler)
            raw = cursor.cursor
            for index in range(len(statements)):
                if index:
                    raw.nextset()
                results.append(raw.fetchall() if raw.rownumber is not None else [])
            return results
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall() if cursor.description is not None else [])
    return results


def instances_insert_statements(instances: Sequence[Model], *, using: str) -> list[Statement]:
    """The statements inserting new instances of one model as ``instances_insert`` does (each
    field's ``pre_save`` applied now; a few hundred values a statement), to send with others
    (``statements_run``); they return the ids, for ``instances_inserted`` to give them."""
    if not instances:
        return []
    rows = [_instance_row(instance) for instance in instances]
    return _rows_insert_statements(type(instances[0]), rows, using=using)


def instances_inserted(
    instances: Sequence[Model], rows: list[tuple[Any, ...]], *, using: str
) -> None:
    """Give the instances the ids their insert statements returned (``rows``, all of them in
    order)."""
    for instance, (pk,) in zip(instances, rows, strict=True):
        instance.pk = pk
        instance._state.adding, instance._state.db = False, using

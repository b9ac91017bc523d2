"""Reading captured SQL in tests."""

from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(queries: CaptureQueriesContext) -> list[str]:
    """The statements of ``queries`` that change data (savepoints and reads are not)."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITE_VERBS)
    ]


def query_plan(queryset: QuerySet, *, sort: bool = True) -> str:
    """PostgreSQL's plan for ``queryset`` with full scans forbidden (and sorts too, unless
    ``sort``): a test's few rows make any plan cheap, so this asks which index could serve it."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not sort:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())

"""Reading captured SQL in tests."""

from django.test.utils import CaptureQueriesContext

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(queries: CaptureQueriesContext) -> list[str]:
    """The statements of ``queries`` that change data (savepoints and reads are not)."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITE_VERBS)
    ]

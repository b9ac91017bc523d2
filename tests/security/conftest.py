# The security tests drive the same checkout and cabinet flows as the ticket tests.
from tests.tickets.conftest import _russian_by_default, policy  # noqa: F401

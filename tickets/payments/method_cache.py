"""Each organizer's payment method choices kept in the cache: every checkout names the methods
in its consent text, and they change only when the organizer (or staff) saves them.

The cache is only an accelerator: when it is down the rows are read from the database. A saved
or deleted ``PaymentMethodSetting`` forgets its organizer's entry at once and again after the
commit, so no other process keeps the rows from before the commit."""

from collections.abc import Callable

from eventum.cached import cached_forget, cached_read

# provider name → (offered, position): the organizer's stored choices
MethodRows = dict[str, tuple[bool, int]]

# A safety net only: every write forgets the entry.
PAYMENT_METHODS_CACHE_SECONDS = 3600


def _key(organizer_id: int) -> str:
    return f"payments:methods:{organizer_id}"


def method_rows_cached(organizer_id: int, read: Callable[[], MethodRows]) -> MethodRows:
    """The organizer's stored choices from the cache, ``read()`` from the database when absent."""
    return cached_read(_key(organizer_id), PAYMENT_METHODS_CACHE_SECONDS, read)


def method_rows_forget(organizer_id: int) -> None:
    """The organizer's choices changed: drop them now and once more when the transaction
    commits."""
    cached_forget(_key(organizer_id))

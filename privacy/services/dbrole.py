"""The PostgreSQL role the application runs as: it may add rows to the trails, never change them.

Migrations run as the database owner; web and workers connect as an application role that has
the usual rights on every table but only SELECT and INSERT on the append-only, hash-chained
trails (no UPDATE, DELETE or TRUNCATE). Rows whose retention term has ended leave a trail only
through ``privacy_chain_cut``, a function owned by the table owner (migrations ``privacy`` 0019
and 0021) that checks what it deletes by the table's rule; the role may execute it.
``manage.py privacy_app_role_sql`` prints the grants; the README ("Operations") shows how
compose uses them.
"""

import re

from privacy.services.ledger import CHAINED_MODELS

CHAIN_CUT_FUNCTION = "privacy_chain_cut(bigint, integer, integer)"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def trail_tables() -> list[str]:
    return [model._meta.db_table for model in CHAINED_MODELS]


def app_role_grants_sql(role: str, *, owner: str) -> list[str]:
    """The statements (run by ``owner`` after ``migrate``) that give ``role`` its rights."""
    for name in (role, owner):
        if not _ROLE_NAME.match(name):
            raise ValueError(f"Not a plain PostgreSQL role name: {name!r}")
    trails = ", ".join(trail_tables())
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        # The trails: read and append only.
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {trails} FROM {role}",
        # ... except that a consent's IP address becomes its sealed network after the retention
        # period (the trigger allows nothing else).
        f"GRANT UPDATE (ip_address) ON privacy_consentrecord TO {role}",
        # ... and rows whose term has ended leave the ledger only through the owner's function,
        # which checks that they are an expired, anchored run of the chain.
        f"GRANT EXECUTE ON FUNCTION {CHAIN_CUT_FUNCTION} TO {role}",
    ]

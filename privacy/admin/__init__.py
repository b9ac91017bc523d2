"""Staff tools for personal data, one module per concept."""

from privacy.admin import (  # noqa: F401
    calendar,
    consent,
    iplog,
    operator,
    policy,
    registers,
    requests,
    retention,
)

"""Staff tools for personal data, one module per concept."""

from privacy.admin import consent, iplog, operator, policy, registers, requests  # noqa: F401

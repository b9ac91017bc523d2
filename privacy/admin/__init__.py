"""Staff tools for personal data, one module per concept."""

from privacy.admin import consent, iplog, policy, registers, requests  # noqa: F401

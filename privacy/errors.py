"""Errors of the privacy services, in their own module so that any service can raise them
without importing another service."""


class SubjectBlockedError(Exception):
    """The subject's data is blocked: it may not be processed (e.g. a marketing opt-in)."""

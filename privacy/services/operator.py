"""The operator of personal data: the one record shown on the policy page, footer and e-mails."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from eventum.accounts import Visitor
from eventum.cached import cached_forget, cached_read
from privacy.models import Operator

OPERATOR_CACHE_KEY = "privacy:operator:v1"
OPERATOR_CACHE_SECONDS = 300
TRANSLATED_FIELDS = ("name", "legal_address", "postal_address", "responsible_person")


@dataclass(frozen=True)
class OperatorShown:
    """What of the operator record buyers are shown (footer, consent text), in the active
    language: a value, so what is rendered from it can be kept by it."""

    name: str
    bin: str
    legal_address: str
    postal_address: str
    privacy_email: str

    @classmethod
    def of(cls, operator: Operator) -> "OperatorShown":
        return cls(
            name=str(operator.name or ""),
            bin=str(operator.bin or ""),
            legal_address=str(operator.legal_address or ""),
            postal_address=str(operator.postal_address or ""),
            privacy_email=str(operator.privacy_email or ""),
        )


def operator_from_settings() -> Operator:
    """An unsaved record from the ``OPERATOR_*`` settings, used until staff save the real one."""
    operator = Operator(bin=settings.OPERATOR_BIN, privacy_email=settings.OPERATOR_PRIVACY_EMAIL)
    for field in TRANSLATED_FIELDS:
        setattr(operator, f"{field}_ru", getattr(settings, f"OPERATOR_{field.upper()}"))
    return operator


def operator_current() -> Operator:
    """The operator shown to buyers: the saved record, or the settings' values before it."""
    return cached_read(
        OPERATOR_CACHE_KEY,
        OPERATOR_CACHE_SECONDS,
        lambda: Operator.objects.first() or operator_from_settings(),
    )


@transaction.atomic
def operator_save(*, operator: Operator, by: Visitor | None) -> Operator:
    """Save the operator record (there is only ever one row) and show it everywhere at once."""
    existing = Operator.objects.select_for_update().first()
    if existing is not None and operator.pk != existing.pk:
        operator.pk = existing.pk
        operator._state.adding = False
    operator.singleton = 1
    operator.updated_by = by if isinstance(by, User) else None
    operator.full_clean()
    operator.save()
    cached_forget(OPERATOR_CACHE_KEY)
    return operator

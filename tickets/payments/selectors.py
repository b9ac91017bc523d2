"""Which payment methods an organizer's buyers are offered, in the organizer's order."""

from dataclasses import dataclass

from organizers.models import Organizer
from tickets.models import PaymentMethodSetting
from tickets.payments.base import BasePaymentProvider
from tickets.payments.method_cache import MethodRows, method_rows_cached
from tickets.payments.providers import providers_enabled


@dataclass(frozen=True)
class PaymentMethodChoice:
    """A provider the portal offers, and the organizer's choice about it (cabinet page)."""

    provider: BasePaymentProvider
    enabled: bool
    position: int


def _method_rows(organizer_id: int) -> MethodRows:
    """The organizer's stored choices, of every provider (one query)."""
    return {
        provider: (enabled, position)
        for provider, enabled, position in PaymentMethodSetting.objects.filter(
            organizer_id=organizer_id
        ).values_list("provider", "enabled", "position")
    }


def _choices(rows: MethodRows) -> list[PaymentMethodChoice]:
    portal = providers_enabled()
    offered = {p.name: rows[p.name] for p in portal if p.name in rows}
    last = max((position for _enabled, position in offered.values()), default=0)
    choices = []
    for index, provider in enumerate(portal, start=1):
        row = offered.get(provider.name)
        choices.append(
            PaymentMethodChoice(
                provider=provider,
                enabled=row[0] if row else True,
                position=row[1] if row else last + index,
            )
        )
    return sorted(choices, key=lambda choice: choice.position)


def payment_method_choices(*, organizer: Organizer) -> list[PaymentMethodChoice]:
    """Every provider the portal offers, in the organizer's order (one query: the cabinet's
    page shows what is stored). A provider the organizer never decided about is offered,
    after the decided ones."""
    return _choices(_method_rows(organizer.pk))


def providers_of_organizer(organizer: Organizer) -> list[BasePaymentProvider]:
    """The methods the organizer's buyers see at checkout, in order; the organizer's choices
    come from the cache (every checkout's consent text names them)."""
    rows = method_rows_cached(organizer.pk, lambda: _method_rows(organizer.pk))
    return [c.provider for c in _choices(rows) if c.enabled]

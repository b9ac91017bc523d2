"""Which payment methods an organizer's buyers are offered, in the organizer's order."""

from dataclasses import dataclass

from organizers.models import Organizer
from tickets.models import PaymentMethodSetting
from tickets.payments.base import BasePaymentProvider
from tickets.payments.providers import providers_enabled


@dataclass(frozen=True)
class PaymentMethodChoice:
    """A provider the portal offers, and the organizer's choice about it (cabinet page)."""

    provider: BasePaymentProvider
    enabled: bool
    position: int


def payment_method_choices(*, organizer: Organizer) -> list[PaymentMethodChoice]:
    """Every provider the portal offers, in the organizer's order (one query). A provider
    the organizer never decided about is offered, after the decided ones."""
    portal = providers_enabled()
    settings = {
        row.provider: row
        for row in PaymentMethodSetting.objects.filter(
            organizer=organizer, provider__in=[p.name for p in portal]
        )
    }
    last = max((row.position for row in settings.values()), default=0)
    choices = []
    for index, provider in enumerate(portal, start=1):
        row = settings.get(provider.name)
        choices.append(
            PaymentMethodChoice(
                provider=provider,
                enabled=row.enabled if row else True,
                position=row.position if row else last + index,
            )
        )
    return sorted(choices, key=lambda choice: choice.position)


def providers_of_organizer(organizer: Organizer) -> list[BasePaymentProvider]:
    """The methods the organizer's buyers see at checkout, in order."""
    return [c.provider for c in payment_method_choices(organizer=organizer) if c.enabled]

"""The registry of payment providers: apps register their provider classes once (in their
``AppConfig.ready``), the core asks the registry by name. No provider is named here.

``TICKETS_PAYMENT_PROVIDERS`` (settings) lists the providers the portal offers at all; each
organizer then enables and orders them in the cabinet (``selectors.providers_of_organizer``).
"""

from django.conf import settings

from tickets.payments.base import BasePaymentProvider

_REGISTRY: dict[str, type[BasePaymentProvider]] = {}


def provider_register(provider_class: type[BasePaymentProvider]) -> type[BasePaymentProvider]:
    """Make ``provider_class`` known by its ``name``; registering another class under a taken
    name is a programming error."""
    known = _REGISTRY.get(provider_class.name)
    if known is not None and known is not provider_class:
        raise ValueError(f"Payment provider {provider_class.name!r} is registered twice")
    _REGISTRY[provider_class.name] = provider_class
    return provider_class


def providers_registered() -> list[str]:
    return list(_REGISTRY)


def provider_for(name: str) -> BasePaymentProvider:
    """The provider registered as ``name`` (``KeyError`` for an unknown one)."""
    return _REGISTRY[name]()


def providers_enabled() -> list[BasePaymentProvider]:
    """The providers the portal offers (settings order), registered and configured."""
    providers = [
        provider_for(name) for name in settings.TICKETS_PAYMENT_PROVIDERS if name in _REGISTRY
    ]
    return [p for p in providers if p.is_configured()]

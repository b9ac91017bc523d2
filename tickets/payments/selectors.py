"""Which payment methods an organizer's buyers are offered, in the organizer's order."""

from dataclasses import dataclass
from typing import Any

from django.db import connections, router

from organizers.models import Organizer
from tickets.models import Payment, PaymentMethodSetting
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


def _payment_id(where: str, params: list[Any]) -> int | None:
    """The id of the first payment row matching ``where`` (an ``ORDER BY`` may follow). One
    indexed SELECT in SQL: the money path asks three times per notification, and the ORM took
    longer to build each than to run it."""
    connection = connections[router.db_for_read(Payment)]
    table = connection.ops.quote_name(Payment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {where} LIMIT 1", params)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _payment_exists(where: str, params: list[Any]) -> bool:
    return _payment_id(where, params) is not None


def payment_started(*, order_id: int, provider: str) -> int | None:
    """The id of the order's latest payment started with ``provider`` and not completed."""
    return _payment_id(
        "order_id = %s AND provider = %s AND status = %s ORDER BY created_at DESC",
        [order_id, provider, str(Payment.Status.CREATED)],
    )


def payment_transaction_known(*, provider: str, transaction_id: str) -> bool:
    """Did the provider's transaction ``transaction_id`` already reach a payment of ours?"""
    return _payment_exists(
        "provider = %s AND provider_transaction_id = %s", [provider, transaction_id]
    )


def order_paid_before(order_id: int) -> bool:
    """Has a payment of the order succeeded already?"""
    return _payment_exists(
        "order_id = %s AND status = %s", [order_id, str(Payment.Status.SUCCEEDED)]
    )

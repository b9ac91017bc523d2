"""Which payment methods an organizer's buyers are offered, in the organizer's order; what a
payment notification reads."""

from dataclasses import dataclass
from typing import Any

from django.db import connections, router

from eventum.rows import (
    RowQuery,
    Statement,
    instance_update_statement,
    instances_insert_statements,
    statements_run,
)
from organizers.models import Organizer
from tickets.models import Order, Payment, PaymentMethodSetting
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


# the order a notification names, by its code, with what a notification checks of it (its
# other fields load when asked): built once (the ORM built this read of the order's every
# column anew for each notification)
ORDER_BY_CODE = RowQuery(
    Order, fields=("code", "status", "total", "currency"), where='{table}."code" = %s'
)


def _payment_id_statement(using: str, where: str, params: list[Any]) -> Statement:
    """The SELECT of the first payment row matching ``where`` (an ``ORDER BY`` may follow), as
    indexed SQL: the money path asks several times per notification, and the ORM took longer
    to build each than to run it."""
    connection = connections[using]
    table = connection.ops.quote_name(Payment._meta.db_table)
    return f"SELECT id FROM {table} WHERE {where} LIMIT 1", params


@dataclass(frozen=True)
class PayNotificationReads:
    """What a provider's payment notification needs to know before it writes anything."""

    order: Order | None  # the order it names, by its code
    transaction_known: bool  # its transaction already reached a payment of ours
    payment_started: int | None  # the id of the order's latest payment started with it


def pay_notification_reads(
    *, order_code: str, provider: str, transaction_id: str
) -> PayNotificationReads:
    """The order named by ``order_code``, whether ``transaction_id`` is known already and the
    order's latest payment started with ``provider`` and not completed: one round trip on
    PostgreSQL (``statements_run``)."""
    using = router.db_for_write(Payment)
    order_table = connections[using].ops.quote_name(Order._meta.db_table)
    order_rows, known, started = statements_run(
        using,
        [
            ORDER_BY_CODE.statement(order_code, using=using),
            _payment_id_statement(
                using,
                "provider = %s AND provider_transaction_id = %s",
                [provider, transaction_id],
            ),
            _payment_id_statement(
                using,
                f"order_id = (SELECT id FROM {order_table} WHERE code = %s)"
                " AND provider = %s AND status = %s ORDER BY created_at DESC",
                [order_code, provider, str(Payment.Status.CREATED)],
            ),
        ],
    )
    orders = ORDER_BY_CODE.built(order_rows, using=using)
    return PayNotificationReads(
        order=orders[0] if orders else None,
        transaction_known=bool(known),
        payment_started=int(started[0][0]) if started else None,
    )


def payment_succeed_statements(payment: Payment, *, using: str) -> list[Statement]:
    """Writing ``payment`` as it now is (succeeded: its status, completion time and
    transaction), then asking whether another payment of its order succeeded before it (money
    that came twice): sent together (``statements_run``), the second's rows say it."""
    return [
        instance_update_statement(
            payment, ["status", "completed_at", "provider_transaction_id"], using=using
        ),
        _other_succeeded_statement(payment, using=using),
    ]


def payment_arrived_statements(payment: Payment, *, using: str) -> list[Statement]:
    """Asking whether a payment of the order succeeded before, then inserting ``payment``, new
    and succeeded: sent together (``statements_run``), the first's rows say it, the second's
    give the new id (``instances_inserted``)."""
    return [
        _other_succeeded_statement(payment, using=using),
        *instances_insert_statements([payment], using=using),
    ]


def _other_succeeded_statement(payment: Payment, *, using: str) -> Statement:
    """The first payment of ``payment``'s order, not it, that succeeded."""
    return _payment_id_statement(
        using,
        "order_id = %s AND status = %s AND id <> %s",
        [payment.order_id, str(Payment.Status.SUCCEEDED), payment.pk or 0],
    )

"""A simple per-IP risk signal for the payment flow.

The sales app reports events without privacy importing it::

    risk = ip_event_record_assessed(ip=client_ip, kind="order_created", reference=order.code)
    if risk.flagged:
        order.flag_for_review(...)
    ...
    statements_run(using, [*ip_event_statements(ip=client_ip, kind="payment_succeeded", ...)])

An IP is flagged when, within ``IP_RISK_WINDOW_MINUTES``, it created at least
``IP_RISK_MAX_ORDERS`` orders or had at least ``IP_RISK_MAX_FAILED_PAYMENTS`` failed payments
(the event just recorded counts).
"""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from eventum.rows import (
    Statement,
    instances_insert_statements,
    instances_inserted,
    statements_run,
)
from privacy.models import IpEvent


@dataclass(frozen=True)
class IpRisk:
    ip: str
    orders: int
    failed_payments: int
    flagged: bool
    reasons: list[str] = field(default_factory=list)


def _valid_ip(ip: str) -> str:
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return ""


def _ip_event(address: str, kind: str, reference: str) -> IpEvent:
    return IpEvent(ip=address, kind=IpEvent.Kind(kind), reference=reference[:100])


def ip_event_statements(*, ip: str, kind: str, reference: str = "") -> list[Statement]:
    """The insert noting an order-flow event for ``ip`` (``order_created``, ``payment_failed``
    or ``payment_succeeded``: ``IpEvent.Kind``), for a caller to send with its own statements
    in its transaction (a payment's order moved to paid); none for an unknown or empty IP."""
    address = _valid_ip(ip)
    if not address:
        return []
    return instances_insert_statements(
        [_ip_event(address, kind, reference)], using=router.db_for_write(IpEvent)
    )


def _recent_counts_statement(address: str, since: datetime, *, using: str) -> Statement:
    """Orders created and payments failed from ``address`` since ``since``: one statement in
    SQL (every checkout asks; the ORM's aggregate took longer to build than to run)."""
    connection = connections[using]
    fields = IpEvent._meta
    table = connection.ops.quote_name(fields.db_table)
    return (
        "SELECT COALESCE(SUM(CASE WHEN kind = %s THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN kind = %s THEN 1 ELSE 0 END), 0) "
        f"FROM {table} WHERE ip = %s AND created_at >= %s",
        [
            IpEvent.Kind.ORDER_CREATED.value,
            IpEvent.Kind.PAYMENT_FAILED.value,
            fields.get_field("ip").get_db_prep_value(address, connection),
            fields.get_field("created_at").get_db_prep_value(since, connection),
        ],
    )


def _assessed(address: str, orders: int, failed: int) -> IpRisk:
    reasons = []
    if orders >= settings.IP_RISK_MAX_ORDERS:
        reasons.append(f"{orders} orders in {settings.IP_RISK_WINDOW_MINUTES} min")
    if failed >= settings.IP_RISK_MAX_FAILED_PAYMENTS:
        reasons.append(f"{failed} failed payments in {settings.IP_RISK_WINDOW_MINUTES} min")
    return IpRisk(
        ip=address, orders=orders, failed_payments=failed, flagged=bool(reasons), reasons=reasons
    )


def _since(now: datetime | None) -> datetime:
    return (now or timezone.now()) - timedelta(minutes=settings.IP_RISK_WINDOW_MINUTES)


def ip_risk_assess(*, ip: str, now: datetime | None = None) -> IpRisk:
    """Counts of recent orders and failed payments from ``ip`` and whether that is too many."""
    address = _valid_ip(ip)
    if not address:
        return IpRisk(ip=ip, orders=0, failed_payments=0, flagged=False)
    using = router.db_for_read(IpEvent)
    ((orders, failed),) = statements_run(
        using, [_recent_counts_statement(address, _since(now), using=using)]
    )[0]
    return _assessed(address, int(orders), int(failed))


def ip_event_record_assessed(
    *, ip: str, kind: str, reference: str = "", written_first: Sequence[Statement] = ()
) -> IpRisk:
    """The event noted (as ``ip_event_statements``) then ``ip_risk_assess`` (the event just
    recorded counts), in one round trip where the database takes both statements at once:
    every checkout asks.

    ``written_first``: the caller's writes, sent before these in the same round trip (or
    alone, when ``ip`` is no address); what they return is not kept."""
    address = _valid_ip(ip)
    using = router.db_for_write(IpEvent)
    if not address:
        if written_first:
            statements_run(using, written_first)
        return IpRisk(ip=ip, orders=0, failed_payments=0, flagged=False)
    event = _ip_event(address, kind, reference)
    *_written, inserted, counts = statements_run(
        using,
        [
            *written_first,
            *instances_insert_statements([event], using=using),
            _recent_counts_statement(address, _since(None), using=using),
        ],
    )
    instances_inserted([event], inserted, using=using)
    ((orders, failed),) = counts
    return _assessed(address, int(orders), int(failed))

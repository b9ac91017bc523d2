"""The per-IP risk signal the payment flow uses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from eventum.rows import statements_run
from privacy.models import IpEvent
from privacy.services import (
    ip_event_record_assessed,
    ip_event_statements,
    ip_risk_assess,
)

pytestmark = pytest.mark.django_db


def ip_event_record(*, ip: str, kind: str, reference: str = "") -> None:
    statements_run("default", ip_event_statements(ip=ip, kind=kind, reference=reference))


def test_many_failed_payments_from_one_ip_flag_it(settings):
    settings.IP_RISK_MAX_FAILED_PAYMENTS = 3
    for n in range(2):
        ip_event_record(ip="203.0.113.5", kind="payment_failed", reference=f"O{n}")
    assert not ip_risk_assess(ip="203.0.113.5").flagged
    ip_event_record(ip="203.0.113.5", kind="payment_failed", reference="O3")
    assert ip_risk_assess(ip="203.0.113.5").flagged
    assert not ip_risk_assess(ip="203.0.113.6").flagged


def test_many_orders_from_one_ip_flag_it(settings):
    settings.IP_RISK_MAX_ORDERS = 4
    for n in range(4):
        ip_event_record(ip="2001:db8::1", kind="order_created", reference=f"O{n}")
    risk = ip_risk_assess(ip="2001:db8::1")
    assert risk.flagged and risk.orders == 4 and risk.failed_payments == 0
    assert risk.reasons


def test_events_outside_the_window_do_not_count(settings):
    settings.IP_RISK_MAX_FAILED_PAYMENTS = 2
    settings.IP_RISK_WINDOW_MINUTES = 60
    for n in range(3):
        ip_event_record(ip="198.51.100.1", kind="payment_failed", reference=f"O{n}")
    later = timezone.now() + timedelta(minutes=61)
    assert not ip_risk_assess(ip="198.51.100.1", now=later).flagged
    assert IpEvent.objects.count() == 3


def test_unknown_ip_is_ignored():
    assert ip_event_statements(ip="", kind="order_created") == []
    assert ip_event_statements(ip="not-an-ip", kind="order_created") == []
    assert not ip_risk_assess(ip="").flagged


def test_orders_and_failed_payments_are_counted_apart_for_that_ip_only():
    for kind, count in (("order_created", 3), ("payment_failed", 2), ("payment_succeeded", 4)):
        for n in range(count):
            ip_event_record(ip="203.0.113.9", kind=kind, reference=f"{kind}{n}")
    ip_event_record(ip="203.0.113.10", kind="order_created", reference="other")
    risk = ip_risk_assess(ip="203.0.113.9")
    assert (risk.ip, risk.orders, risk.failed_payments) == ("203.0.113.9", 3, 2)
    nobody = ip_risk_assess(ip="192.0.2.1")
    assert (nobody.orders, nobody.failed_payments, nobody.flagged) == (0, 0, False)


def test_recording_and_assessing_at_once_counts_the_event_just_recorded(
    settings, django_assert_num_queries
):
    """Every checkout records its order and asks about its address: one round trip on
    PostgreSQL, two statements on SQLite, the same answer as the two calls one after the
    other."""
    settings.IP_RISK_MAX_ORDERS = 3
    for n in range(2):
        risk = ip_event_record_assessed(ip="192.0.2.7", kind="order_created", reference=f"O{n}")
        assert not risk.flagged and risk.orders == n + 1
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        risk = ip_event_record_assessed(ip=" 192.0.2.7 ", kind="order_created", reference="O3")
    assert risk.flagged and risk.orders == 3 and risk == ip_risk_assess(ip="192.0.2.7")
    assert IpEvent.objects.filter(ip="192.0.2.7", reference="O3").exists()
    nothing = ip_event_record_assessed(ip="not an address", kind="order_created")
    assert not nothing.flagged and IpEvent.objects.count() == 3

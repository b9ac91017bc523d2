"""The sales summary stays in step with the orders: purchases, partial and whole refunds,
cancellations of free orders after payment and bookings moved to another time all leave it
equal to a full recount, and ``sales_summary_recount`` finds and fixes a summary that drifted."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.schedules.services import schedule_create
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.factories import SessionFactory, TicketTypeFactory
from tests.tickets.flows import place_order
from tests.tickets.reports_data import paid_order
from tickets.models import EventSalesDay, Order, TicketSalesDay
from tickets.reports.models import OrganizerSalesDay
from tickets.reports.selectors import (
    orders_per_day,
    revenue,
    sales_totals,
    sessions_figures,
    ticket_totals,
)
from tickets.reports.services.sales_summary import sale_day, sales_summary_recount
from tickets.reports.summary_sums import summary_sums_by_event
from tickets.services.booking_move import order_move_to_slot
from tickets.services.order_lifecycle import order_cancel, order_expire
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

pytestmark = pytest.mark.django_db

ORGANIZER = Actor(label="organizer")


@pytest.fixture
def slots(settings):
    settings.SCHEDULES_HORIZON_DAYS = 4
    schedule, _report = schedule_create(
        event=ServiceFactory(), data=_rule(times="10:00", capacity=5), ticket_types=TEMPLATES
    )
    soon = timezone.now() + timedelta(hours=24)
    return [s for s in schedule.slots.order_by("starts_at") if s.starts_at > soon]


def _mixed_sales(slots):
    """Concert tickets bought, refunded in part and in whole, a free order cancelled after
    payment, an unpaid one expired, a service booking moved and then half refunded."""
    session = SessionFactory()
    stalls = TicketTypeFactory(session=session, price=Decimal("5000"), quantity=30)
    free = TicketTypeFactory(session=session, price=Decimal("0"), quantity=10)
    balcony = TicketTypeFactory(
        session=SessionFactory(event=session.event), price=Decimal("3000"), quantity=10
    )
    paid_order({stalls: 3, balcony: 1}, email="a@example.kz")
    partial = paid_order({stalls: 2, balcony: 2}, email="b@example.kz")
    order_refund(
        order_id=partial.pk,
        actor=ORGANIZER,
        item_ids=[partial.items.filter(ticket_type=balcony).first().pk],
        kept=Decimal("500.00"),
    )
    whole = paid_order({stalls: 1}, email="c@example.kz")
    order_refund(order_id=whole.pk, actor=ORGANIZER)
    cancelled = paid_order({free: 2}, email="d@example.kz")
    order_cancel(order_id=cancelled.pk, actor=ORGANIZER)
    unpaid = place_order({stalls: 1}, email="e@example.kz")
    Order.objects.filter(pk=unpaid.pk).update(payment_due_at=timezone.now() - timedelta(1))
    order_expire(order_id=unpaid.pk)
    adult = slots[0].ticket_types.get(name_en="Adult")
    booking = paid_order({adult: 2}, email="f@example.kz")
    order_move_to_slot(order_id=booking.pk, session_id=slots[1].pk)
    order_refund(order_id=booking.pk, actor=ORGANIZER, item_ids=[booking.items.first().pk])
    return session.event, stalls, balcony, free, slots[1].ticket_types.get(name_en="Adult")


def test_the_summary_agrees_with_a_recount_after_every_kind_of_change(slots):
    _mixed_sales(slots)
    assert sales_summary_recount() == []


def test_the_figures_read_from_the_summary_are_those_of_the_orders(slots):
    event, stalls, balcony, free, moved_to = _mixed_sales(slots)
    money = revenue(event=event)
    # a: 15 000 + 3 000; b: 10 000 + 6 000 (2 500 back); c: 5 000 (all back); the free
    # order cancelled after payment no longer counts
    assert (money.orders, money.gross, money.refunds) == (
        3,
        Decimal("39000.00"),
        Decimal("7500.00"),
    )
    tickets = ticket_totals(event=event)
    assert (tickets.sold, tickets.refunded) == (3 + 1 + 2 + 1, 2)
    per_type = {f.ticket_type.pk: f for s in sessions_figures(event=event) for f in s.ticket_types}
    assert (per_type[stalls.pk].sold, per_type[stalls.pk].refunded) == (5, 1)
    assert per_type[stalls.pk].revenue == Decimal("25000.00")
    assert (per_type[balcony.pk].sold, per_type[balcony.pk].refunded) == (2, 1)
    assert (per_type[free.pk].sold, per_type[free.pk].refunded) == (0, 0)
    moved = TicketSalesDay.objects.get(ticket_type=moved_to)
    assert (moved.sold, moved.refunded) == (1, 1)
    left_behind = TicketSalesDay.objects.get(ticket_type=slots[0].ticket_types.get(name_en="Adult"))
    assert (left_behind.sold, left_behind.refunded, left_behind.revenue) == (0, 0, 0)


def _sums(rows, key, figures):
    sums = {}
    for row in rows.values(*key, *figures):
        group = sums.setdefault(tuple(row[k] for k in key), dict.fromkeys(figures, 0))
        for name in figures:
            group[name] += row[name]
    return sums


def test_the_organizers_days_and_the_events_tickets_are_the_sums_of_the_rows_under_them(slots):
    event, *_rest = _mixed_sales(slots)
    figures = ("orders", "gross", "discounts", "refunds", "sold", "refunded")
    organizer_days = {
        (row.organizer_id, row.day): {name: getattr(row, name) for name in figures}
        for row in OrganizerSalesDay.objects.all()
    }
    assert organizer_days == _sums(EventSalesDay.objects, ("organizer_id", "day"), figures)
    event_tickets = {
        (row.event_id, row.day): {"sold": row.sold, "refunded": row.refunded}
        for row in EventSalesDay.objects.exclude(sold=0, refunded=0)
    }
    assert event_tickets == _sums(TicketSalesDay.objects, ("event_id", "day"), ("sold", "refunded"))
    # the concert's organizer sold nothing else: its totals are the concert's
    money, tickets = sales_totals(organizer=event.organizer)
    assert (money.orders, money.gross, money.refunds) == (
        3,
        Decimal("39000.00"),
        Decimal("7500.00"),
    )
    assert (tickets.sold, tickets.refunded) == (7, 2)
    assert money.last_sale_day == timezone.localdate()
    assert sales_totals(event=event)[0] == money


def test_the_recount_command_reports_a_drift_and_fixes_it(slots):
    event, stalls, *_rest = _mixed_sales(slots)
    EventSalesDay.objects.filter(event=event).update(gross=Decimal("1.00"))
    TicketSalesDay.objects.filter(ticket_type=stalls).delete()
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("sales_summary_recount", stdout=out)
    assert "2 row(s) differ" in out.getvalue()
    assert f"event ({event.pk}," in out.getvalue()
    call_command("sales_summary_recount", "--fix", stdout=StringIO())
    assert sales_summary_recount() == []
    assert revenue(event=event).gross == Decimal("39000.00")
    assert TicketSalesDay.objects.get(ticket_type=stalls).sold == 5
    # the organizer's days and the events' tickets drift and are set right the same way
    OrganizerSalesDay.objects.filter(organizer=event.organizer).update(orders=99)
    EventSalesDay.objects.filter(event=event).update(sold=0)
    differences = sales_summary_recount()
    assert {d.table for d in differences} == {"event", "organizer"}
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("sales_summary_recount", stdout=out)
    assert f"organizer ({event.organizer_id}," in out.getvalue()
    call_command("sales_summary_recount", "--fix", stdout=StringIO())
    assert sales_summary_recount() == []
    assert OrganizerSalesDay.objects.get(organizer=event.organizer).orders == 3
    OrganizerSalesDay.objects.filter(organizer=event.organizer).delete()
    assert [d.table for d in sales_summary_recount(fix=True)] == ["organizer"]
    assert sales_totals(organizer=event.organizer)[1].sold == 7
    out = StringIO()
    call_command("sales_summary_recount", stdout=out)
    assert "agrees with the orders" in out.getvalue()


def test_a_sale_counts_on_the_local_day_it_was_paid(settings):
    # 20:30 UTC is already the next day in Almaty (UTC+5)
    stalls = TicketTypeFactory(price=Decimal("1000"), quantity=5)
    order = place_order({stalls: 1})
    order.paid_at = timezone.now().replace(hour=20, minute=30)
    assert sale_day(order) == order.paid_at.date() + timedelta(days=1)


def test_the_sums_read_back_to_the_tiyn_with_their_days():
    """The dashboards' sums are written in SQL (``summary_sums``): money comes back as the
    exact ``Decimal`` (SQLite sums decimals as numbers), days as ``date``, none as zeros."""
    event = SessionFactory().event
    organizer = event.organizer
    today = timezone.localdate()
    for n, (gross, orders) in enumerate(
        ((Decimal("0.10"), 1), (Decimal("0.20"), 1), (Decimal("1234567.89"), 0))
    ):
        day = today - timedelta(days=n)
        EventSalesDay.objects.create(
            organizer=organizer, event=event, day=day, orders=orders, gross=gross, sold=2
        )
        OrganizerSalesDay.objects.create(organizer=organizer, day=day, orders=orders, gross=gross)
    money = revenue(event=event)
    assert money.gross == Decimal("1234568.19") and str(money.gross) == "1234568.19"
    assert (money.orders, money.refunds, money.last_sale_day) == (2, Decimal("0.00"), today)
    assert revenue(organizer=organizer) == money
    assert revenue(organizer=organizer, day=today - timedelta(days=1)).gross == Decimal("0.20")
    assert ticket_totals(event=event).sold == 6
    days = orders_per_day(organizer=organizer)
    assert [(d.day, d.orders, d.revenue) for d in days] == [
        (today - timedelta(days=1), 1, Decimal("0.20")),
        (today, 1, Decimal("0.10")),
    ]
    by_event = summary_sums_by_event(organizer=organizer, event_ids=[event.pk])
    assert by_event[event.pk]["gross"] == money.gross
    assert summary_sums_by_event(organizer=organizer, event_ids=[]) == {}
    nothing = revenue(organizer=SessionFactory().event.organizer)
    assert (nothing.orders, nothing.gross, nothing.last_sale_day) == (0, Decimal("0.00"), None)


def test_a_free_order_of_several_types_counts_as_a_recount_does():
    """A free order is counted from the tickets it was just made with: the rows of its day
    equal a recount, the discount that made it free included."""
    from tests.tickets.factories import PromoCodeFactory

    session = SessionFactory()
    stalls = TicketTypeFactory(session=session, price=Decimal("5000"), quantity=10)
    kids = TicketTypeFactory(
        session=SessionFactory(event=session.event), price=Decimal("0"), quantity=10
    )
    promo = PromoCodeFactory(
        organizer=session.event.organizer, code="ALL", value=Decimal("100"), event=session.event
    )
    order = place_order({stalls: 2, kids: 3}, promo=promo.code)
    assert order.status == Order.Status.PAID and order.discount == Decimal("10000.00")
    assert sales_summary_recount() == []
    day = EventSalesDay.objects.get(event=session.event)
    assert (day.orders, day.sold, day.gross, day.discounts) == (1, 5, 0, Decimal("10000.00"))
    tickets = dict(TicketSalesDay.objects.values_list("ticket_type_id", "sold"))
    assert tickets == {stalls.pk: 2, kids.pk: 3}
    assert dict(TicketSalesDay.objects.values_list("ticket_type_id", "session_id")) == {
        stalls.pk: stalls.session_id,
        kids.pk: kids.session_id,
    }


def test_a_paid_order_with_tiyn_counts_its_revenue_to_the_tiyn():
    from tests.tickets.factories import PromoCodeFactory

    session = SessionFactory()
    odd = TicketTypeFactory(session=session, price=Decimal("3333.33"), quantity=10)
    other = TicketTypeFactory(session=session, price=Decimal("1000.10"), quantity=10)
    promo = PromoCodeFactory(organizer=session.event.organizer, code="SEVEN", value=Decimal("7"))
    order = paid_order({odd: 3, other: 1}, promo=promo.code)
    assert order.status == Order.Status.PAID and order.discount > 0
    assert sales_summary_recount() == []
    revenue = dict(TicketSalesDay.objects.values_list("ticket_type_id", "revenue"))
    amounts = {
        tt.pk: sum(i.amount for i in order.items.filter(ticket_type=tt)) for tt in (odd, other)
    }
    assert revenue == amounts
    assert EventSalesDay.objects.get(event=session.event).gross == order.total

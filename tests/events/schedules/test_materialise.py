"""Slots made from a schedule: bounded by the horizon, idempotent, edits change unsold future
slots only and report sold ones that no longer fit; the daily task moves the horizon on."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.models import CapacityPool, Event, Session, TicketType
from events.schedules.services import (
    ScheduleError,
    schedule_create,
    schedule_materialise,
    schedule_update,
    schedules_materialise_all,
)
from events.selectors import catalogue
from events.tasks import schedules_materialise_task
from tests.events.schedules.factories import (
    ScheduleFactory,
    ScheduleTicketTypeFactory,
    ServiceFactory,
)
from tickets.services.inventory import inventory_take

pytestmark = pytest.mark.django_db

TEMPLATES = [
    {"name_ru": "Взрослый", "name_kk": "Ересек", "name_en": "Adult", "price": 2000},
    {"name_ru": "Детский", "name_kk": "Балалар", "name_en": "Child", "price": 1000},
]


def _rule(**fields):
    values = {
        "name": "Вход",
        "pattern": "times",
        "weekdays": "MO,TU,WE,TH,FR,SA,SU",
        "times": "10:00 15:00",
        "valid_from": date(2020, 1, 1),
        "capacity": 5,
        "duration_minutes": 60,
    }
    values.update(fields)
    return values


@pytest.fixture
def horizon(settings):
    settings.SCHEDULES_HORIZON_DAYS = 7
    return 7


def test_slots_are_made_up_to_the_horizon_only(horizon):
    service = ServiceFactory()
    schedule, report = schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    slots = Session.objects.filter(schedule=schedule)
    now = timezone.now()
    last_day = timezone.localdate() + timedelta(days=horizon)
    assert report.created == slots.count()
    assert 2 * horizon <= slots.count() <= 2 * (horizon + 1)
    assert all(now < s.starts_at for s in slots)
    assert max(timezone.localdate(s.starts_at) for s in slots) == last_day
    assert all(s.ends_at - s.starts_at == timedelta(hours=1) for s in slots)
    slot = slots.first()
    names = sorted(slot.ticket_types.values_list("name_en", "price", "quantity"))
    assert [(n, int(p), q) for n, p, q in names] == [("Adult", 2000, 5), ("Child", 1000, 5)]
    pool = CapacityPool.objects.get(session=slot)
    assert (pool.kind, pool.capacity, pool.taken) == ("slot", 5, 0)
    assert set(pool.ticket_types.all()) == set(slot.ticket_types.all())
    service.refresh_from_db()
    assert service.upcoming_at == slots.order_by("starts_at").first().starts_at


def test_materialising_again_changes_nothing(horizon):
    service = ServiceFactory()
    schedule, _report = schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    ids = set(Session.objects.filter(schedule=schedule).values_list("pk", flat=True))
    again = schedule_materialise(schedule=schedule)
    assert (again.created, again.removed, again.sold_not_fitting) == (0, 0, [])
    assert set(Session.objects.filter(schedule=schedule).values_list("pk", flat=True)) == ids
    assert TicketType.objects.filter(session__schedule=schedule).count() == 2 * len(ids)


def test_edit_moves_unsold_slots_and_reports_sold_ones_that_no_longer_fit(horizon):
    service = ServiceFactory()
    schedule, _report = schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    sold = next(
        s
        for s in Session.objects.filter(schedule=schedule).order_by("starts_at")
        if timezone.localtime(s.starts_at).hour == 10
    )
    sold_type = sold.ticket_types.first()
    inventory_take(ticket_type_id=sold_type.pk, quantity=2)

    report = schedule_update(
        schedule=schedule, data=_rule(times="11:00 15:00", capacity=8), ticket_types=TEMPLATES
    )

    local_times = {
        timezone.localtime(s.starts_at).strftime("%H:%M")
        for s in Session.objects.filter(schedule=schedule).exclude(pk=sold.pk)
    }
    assert local_times == {"11:00", "15:00"}
    sold.refresh_from_db()  # kept with its tickets and its old time
    sold_type.refresh_from_db()
    assert sold_type.quantity_taken == 2
    assert sold.ticket_types.get(pk=sold_type.pk).quantity == 5
    assert report.sold_not_fitting == [sold]
    unsold = Session.objects.filter(schedule=schedule).exclude(pk=sold.pk).first()
    assert set(unsold.ticket_types.values_list("quantity", flat=True)) == {8}


def test_a_closed_rule_removes_unsold_slots_and_keeps_sold_ones(horizon):
    service = ServiceFactory()
    schedule, _report = schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    sold = Session.objects.filter(schedule=schedule).order_by("-starts_at").first()
    inventory_take(ticket_type_id=sold.ticket_types.first().pk, quantity=1)
    report = schedule_update(
        schedule=schedule, data=_rule(valid_until=date(2020, 1, 2)), ticket_types=TEMPLATES
    )
    assert list(Session.objects.filter(schedule=schedule)) == [sold]
    assert report.sold_not_fitting == [sold]


def test_the_daily_task_moves_the_horizon_on(horizon):
    schedule = ScheduleFactory(times="12:00")
    ScheduleTicketTypeFactory(schedule=schedule)
    assert schedules_materialise_task() == horizon + 1 - (
        1 if timezone.localtime().hour >= 12 else 0
    )
    assert schedules_materialise_task() == 0
    tomorrow = timezone.now() + timedelta(days=1)
    assert schedules_materialise_all(now=tomorrow) == 1
    last = Session.objects.filter(schedule=schedule).order_by("starts_at").last()
    assert timezone.localdate(last.starts_at) == timezone.localdate() + timedelta(days=horizon + 1)


def test_the_daily_task_skips_cancelled_services(horizon):
    schedule = ScheduleFactory(event=ServiceFactory(status=Event.Status.CANCELLED))
    ScheduleTicketTypeFactory(schedule=schedule)
    assert schedules_materialise_task() == 0
    assert not Session.objects.filter(schedule=schedule).exists()


def test_a_one_off_event_has_no_schedule():
    with pytest.raises(ScheduleError):
        schedule_create(event=ServiceFactory(kind="event"), data=_rule(), ticket_types=TEMPLATES)


def test_the_catalogue_lists_a_service_with_slots(horizon):
    service = ServiceFactory()
    schedule_create(event=service, data=_rule(), ticket_types=TEMPLATES)
    found = catalogue().get(pk=service.pk)
    assert found.min_price == 1000
    assert found.next_starts_at > timezone.now()

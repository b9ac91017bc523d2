"""Reads of schedules for the cabinet and of a service's slots for buyers."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Min, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from events.models import CapacityPool, Event, Schedule, Session, TicketType
from events.schedules.rules import Exceptions, horizon_days, slot_starts
from organizers.models import Organizer

PREVIEW_DAYS = 14
PREVIEW_SLOTS = 12


def schedule_for_cabinet(*, organizer: Organizer, pk: int) -> Schedule:
    """One schedule of the organizer with its event, ticket types and exceptions
    (``Schedule.DoesNotExist`` for someone else's)."""
    return (
        Schedule.objects.filter(event__organizer=organizer)
        .select_related("event__organizer")
        .prefetch_related("ticket_types", "exceptions")
        .get(pk=pk)
    )


def schedule_preview(schedule: Schedule, *, now: datetime | None = None) -> list[datetime]:
    """The next slots the rule makes (computed, nothing written): what the organizer checks
    before and after saving."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    exceptions = Exceptions.from_rows(schedule.exceptions.all()) if schedule.pk else Exceptions()
    starts = slot_starts(
        schedule,
        first_day=today,
        last_day=today + timedelta(days=PREVIEW_DAYS),
        exceptions=exceptions,
    )
    return [start for start in starts if start > now][:PREVIEW_SLOTS]


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of ``day`` and of the next day in the current (Almaty) time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)


def slots_of_day_all(*, event: Event, day: date) -> QuerySet[Session]:
    """Every slot of one local day of a service (past ones too; never the open-dated holder),
    as a queryset for others to filter by."""
    start, end = local_day_bounds(day)
    return Session.objects.filter(
        event=event, starts_at__gte=start, starts_at__lt=end, is_open_dated=False
    )


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=zone),
        datetime.combine(following, datetime.min.time(), tzinfo=zone),
    )


def slot_days(*, event: Event, month: date, now: datetime | None = None) -> set[date]:
    """The local dates of ``month`` with a slot ahead that still has places: one query for the
    whole month (places are the slot's shared pool, or its ticket types without one)."""
    now = now or timezone.now()
    start, end = _month_bounds(month)
    zone = timezone.get_current_timezone()
    open_slots = (
        Session.objects.filter(
            event=event,
            starts_at__gte=max(start, now),
            starts_at__lt=end,
            ticket_types__quantity_taken__lt=F("ticket_types__quantity"),
        )
        .exclude(
            capacity_pools__kind=CapacityPool.Kind.SLOT,
            capacity_pools__taken__gte=F("capacity_pools__capacity"),
        )
        .annotate(day=TruncDate("starts_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    return set(open_slots)


def slots_of_day(*, event: Event, day: date, now: datetime | None = None) -> list[Session]:
    """The slots of one local day ahead, with ``places_left`` (the slot's shared places, or
    what its ticket types have left) and ``price_from``; two queries."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    slots = list(
        Session.objects.filter(
            event=event, starts_at__gte=max(start, now), starts_at__lt=start + timedelta(days=1)
        )
        .annotate(
            type_left=Sum("ticket_types__quantity") - Sum("ticket_types__quantity_taken"),
            price_from=Min("ticket_types__price"),
        )
        .order_by("starts_at", "pk")
    )
    pools = {
        pool.session_id: pool
        for pool in CapacityPool.objects.filter(
            session__in=[s.pk for s in slots], kind=CapacityPool.Kind.SLOT
        )
    }
    for slot in slots:
        pool = pools.get(slot.pk)
        slot.places_left = pool.available if pool else max(slot.type_left or 0, 0)
    listed: list[Session] = list(slots)
    return listed


def slot_for_purchase(*, event: Event, pk: int) -> Session | None:
    """One slot of the service ahead, with its ticket types (``None`` if not one of its)."""
    ticket_types = TicketType.objects.order_by("position", "price", "id")
    return (
        Session.objects.filter(event=event, pk=pk, starts_at__gt=timezone.now())
        .select_related("event")
        .prefetch_related(Prefetch("ticket_types", queryset=ticket_types), "capacity_pools")
        .first()
    )


@dataclass
class PickerDay:
    day: date
    in_month: bool
    has_slots: bool


@dataclass
class SlotPicker:
    """What the event page of a service shows: a month of days (those with places can be
    chosen), the slots of the chosen day, and the chosen slot with its ticket types."""

    month: date
    weeks: list[list[PickerDay]]
    previous_month: date | None
    next_month: date | None
    day: date | None
    slots: list[Session]
    slot: Session | None


def _shift_month(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def slot_picker(
    *, event: Event, month: date | None, day: date | None, slot: int | None
) -> SlotPicker:
    """The month (this one up to the horizon's), its days with free slots (one query), the
    chosen day's slots (two queries) and the chosen slot (two more)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    last = _shift_month((today + timedelta(days=horizon_days())).replace(day=1), 0)
    if day is not None and month is None:
        month = day.replace(day=1)
    month = min(max(month or first, first), last)
    open_days = slot_days(event=event, month=month)
    if day is None or day.replace(day=1) != month or day not in open_days:
        day = min(open_days) if open_days else None
    weeks = [
        [PickerDay(d, d.month == month.month, d in open_days) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    slots = slots_of_day(event=event, day=day) if day else []
    chosen = None
    listed = next((s for s in slots if s.pk == slot), None)
    if listed is not None:
        chosen = slot_for_purchase(event=event, pk=listed.pk)
        if chosen is not None:
            chosen.places_left = listed.places_left
    return SlotPicker(
        month=month,
        weeks=weeks,
        previous_month=_shift_month(month, -1) if month > first else None,
        next_month=_shift_month(month, 1) if month < last else None,
        day=day,
        slots=slots,
        slot=chosen,
    )


def slots_of_day_for_desk(*, event: Event, day: date) -> list[Session]:
    """Every slot of one local day (past ones too) with its ticket types and shared places, for
    the front desk; three queries whatever the number of slots."""
    ticket_types = TicketType.objects.order_by("position", "price", "id")
    return list(
        slots_of_day_all(event=event, day=day)
        .prefetch_related(Prefetch("ticket_types", queryset=ticket_types), "capacity_pools")
        .order_by("starts_at", "pk")
    )


def open_dated_session(*, event: Event) -> Session | None:
    """The service's session holding its open-dated ticket types, with them (two queries), or
    ``None`` when it sells none."""
    ticket_types = TicketType.objects.order_by("position", "price", "id")
    return (
        Session.objects.filter(event=event, is_open_dated=True)
        .select_related("event")
        .prefetch_related(Prefetch("ticket_types", queryset=ticket_types))
        .first()
    )

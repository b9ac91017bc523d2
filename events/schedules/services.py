"""Writes of schedules: the rule, its ticket types and exceptions, and the slots (sessions)
materialised from it a bounded number of days ahead.

Materialising is idempotent: a slot is a ``Session`` with ``schedule`` and ``starts_at`` unique
together, so running it twice (or the daily task and an edit at once) never makes a second slot.
Slots nobody has bought from are the rule's to change; slots with tickets taken stay as they
are, and those that no longer fit the rule are reported to the organizer.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Session, TicketType
from events.schedules.models import (
    CapacityPool,
    Schedule,
    ScheduleException,
    ScheduleTicketType,
)
from events.schedules.rules import Exceptions, horizon_days, slot_starts
from events.services import ticket_type_create
from events.upcoming import upcoming_refresh


class ScheduleError(Exception):
    """An action the rules do not allow; ``str(error)`` is a translated message."""


@dataclass
class MaterialiseReport:
    """What one run did: slots created and removed, and the sold slots the rule no longer has
    (kept, with their tickets, for the organizer to move or cancel)."""

    created: int = 0
    removed: int = 0
    sold_not_fitting: list[Session] = field(default_factory=list)


def _taken(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.filter(
        Exists(TicketType.objects.filter(session=OuterRef("pk"), quantity_taken__gt=0))
    )


def _delete_untouched(sessions: QuerySet[Session]) -> int:
    """Delete the slots with nothing taken; a slot an old order still points at stays."""
    untouched = sessions.exclude(pk__in=_taken(sessions).values("pk"))
    try:
        with transaction.atomic():
            return untouched.delete()[1].get(Session._meta.label, 0)
    except ProtectedError:
        pass
    removed = 0
    for slot in untouched:
        try:
            with transaction.atomic():
                slot.delete()
        except ProtectedError:
            continue
        removed += 1
    return removed


def _slots_create(
    *, schedule: Schedule, starts: list[datetime], templates: list[ScheduleTicketType]
) -> int:
    """Sessions for ``starts`` with their ticket types and shared places, in a few bulk
    statements (no signals: the caller refreshes the event's next start)."""
    if not starts or not templates:
        return 0
    duration = timedelta(minutes=schedule.duration_minutes)
    slots = Session.objects.bulk_create(
        [
            Session(
                event=schedule.event, schedule=schedule, starts_at=start, ends_at=start + duration
            )
            for start in starts
        ]
    )
    ticket_types = TicketType.objects.bulk_create(
        [
            TicketType(
                session=slot,
                name_ru=template.name_ru,
                name_kk=template.name_kk,
                name_en=template.name_en,
                price=template.price,
                quantity=schedule.capacity,
                max_per_order=template.max_per_order,
                position=template.position,
                sale_ends_at=slot.starts_at,
                is_pooled=True,
            )
            for slot in slots
            for template in templates
        ]
    )
    with_resource = bool(schedule.resource_capacity) and any(t.uses_resource for t in templates)
    pools = []
    for slot in slots:
        pools.append(
            CapacityPool(session=slot, kind=CapacityPool.Kind.SLOT, capacity=schedule.capacity)
        )
        if with_resource:
            pools.append(
                CapacityPool(
                    session=slot,
                    kind=CapacityPool.Kind.RESOURCE,
                    name=schedule.resource_name,
                    capacity=schedule.resource_capacity or 0,
                )
            )
    pools = CapacityPool.objects.bulk_create(pools)
    pool_of = {(pool.session_id, pool.kind): pool for pool in pools}
    links = []
    through = CapacityPool.ticket_types.through
    per_slot = len(templates)
    for index, ticket_type in enumerate(ticket_types):
        template = templates[index % per_slot]
        slot_pool = pool_of[(ticket_type.session_id, CapacityPool.Kind.SLOT)]
        links.append(through(capacitypool_id=slot_pool.pk, tickettype_id=ticket_type.pk))
        if with_resource and template.uses_resource:
            resource = pool_of[(ticket_type.session_id, CapacityPool.Kind.RESOURCE)]
            links.append(through(capacitypool_id=resource.pk, tickettype_id=ticket_type.pk))
    through.objects.bulk_create(links)
    return len(slots)


def _materialise(schedule: Schedule, *, now: datetime, resync: bool) -> MaterialiseReport:
    report = MaterialiseReport()
    future = Session.objects.filter(schedule=schedule, starts_at__gt=now)
    event = schedule.event
    if not schedule.is_active or not event.is_editable:
        report.removed = _delete_untouched(future)
        report.sold_not_fitting = list(_taken(future).order_by("starts_at"))
        return report
    today = timezone.localdate(now)
    exceptions = Exceptions.from_rows(schedule.exceptions.all())
    wanted = [
        start
        for start in slot_starts(
            schedule,
            first_day=today,
            last_day=today + timedelta(days=horizon_days()),
            exceptions=exceptions,
        )
        if start > now
    ]
    wanted_set = set(wanted)
    if resync:
        # An edit: every slot nobody has bought from follows the new rule and ticket types.
        report.removed = _delete_untouched(future)
    else:
        stale = future.exclude(starts_at__in=wanted)
        report.removed = _delete_untouched(stale)
    existing = set(future.values_list("starts_at", flat=True))
    templates = list(schedule.ticket_types.all())
    report.created = _slots_create(
        schedule=schedule,
        starts=[start for start in wanted if start not in existing],
        templates=templates,
    )
    report.sold_not_fitting = [
        slot for slot in _taken(future).order_by("starts_at") if slot.starts_at not in wanted_set
    ]
    return report


@transaction.atomic
def schedule_materialise(
    *, schedule: Schedule, now: datetime | None = None, resync: bool = False
) -> MaterialiseReport:
    """Make the schedule's slots from now to ``SCHEDULES_HORIZON_DAYS`` ahead, never more.

    Missing slots are created; untouched slots the rule no longer has are removed (with
    ``resync``, after an edit, every untouched future slot is made again from the new rule and
    ticket types); slots with tickets taken are never changed. Safe to repeat."""
    now = now or timezone.now()
    schedule = Schedule.objects.select_for_update().select_related("event").get(pk=schedule.pk)
    report = _materialise(schedule, now=now, resync=resync)
    if report.created or report.removed:
        upcoming_refresh(event_ids=[schedule.event_id])
    return report


def schedules_materialise_all(*, now: datetime | None = None) -> int:
    """Move every active schedule's horizon on by a day (the daily task); each schedule in its
    own transaction, so one failure leaves the others done. Returns the slots created."""
    created = 0
    ids = Schedule.objects.filter(
        is_active=True,
        event__status__in=(Event.Status.DRAFT, Event.Status.PUBLISHED),
    ).values_list("pk", flat=True)
    for pk in list(ids):
        try:
            created += schedule_materialise(schedule=Schedule(pk=pk), now=now).created
        except IntegrityError:
            continue  # a concurrent run made the same slots; the next run finds them
    return created


def _ensure_service(event: Event) -> None:
    if not event.is_editable:
        raise ScheduleError(_("A cancelled or finished event cannot be changed."))
    if not event.is_service:
        raise ScheduleError(_("Schedules are for services; this is a one-off event."))


@transaction.atomic
def schedule_create(
    *, event: Event, data: dict[str, Any], ticket_types: list[dict[str, Any]]
) -> tuple[Schedule, MaterialiseReport]:
    """A schedule of a service with its ticket types; its slots are made at once."""
    _ensure_service(event)
    if not ticket_types:
        raise ScheduleError(_("Add at least one ticket type."))
    schedule = Schedule.objects.create(event=event, **data)
    for position, values in enumerate(ticket_types):
        ScheduleTicketType.objects.create(schedule=schedule, position=position, **values)
    return schedule, schedule_materialise(schedule=schedule)


@transaction.atomic
def schedule_update(
    *, schedule: Schedule, data: dict[str, Any], ticket_types: list[dict[str, Any]]
) -> MaterialiseReport:
    """Change the rule and ticket types. Future slots nobody bought from follow the change;
    sold slots stay, and the report lists those that no longer fit the rule."""
    _ensure_service(schedule.event)
    if not ticket_types:
        raise ScheduleError(_("Add at least one ticket type."))
    for name, value in data.items():
        setattr(schedule, name, value)
    schedule.save()
    schedule.ticket_types.all().delete()
    for position, values in enumerate(ticket_types):
        ScheduleTicketType.objects.create(schedule=schedule, position=position, **values)
    return schedule_materialise(schedule=schedule, resync=True)


@transaction.atomic
def schedule_exception_add(
    *, schedule: Schedule, data: dict[str, Any]
) -> tuple[ScheduleException, MaterialiseReport]:
    """A closed day or an extra slot; the slots follow at once (sold ones stay)."""
    _ensure_service(schedule.event)
    if data.get("kind") == ScheduleException.Kind.CLOSED:
        data = {**data, "starts_at_time": None}
    exception, _created = ScheduleException.objects.get_or_create(schedule=schedule, **data)
    return exception, schedule_materialise(schedule=schedule)


@transaction.atomic
def schedule_exception_remove(*, exception: ScheduleException) -> MaterialiseReport:
    """Remove an exception; the slots follow at once (sold ones stay)."""
    schedule = exception.schedule
    _ensure_service(schedule.event)
    exception.delete()
    return schedule_materialise(schedule=schedule)


@transaction.atomic
def open_dated_ticket_type_create(*, event: Event, data: dict[str, Any]) -> TicketType:
    """An open-dated ticket type of a service: sold without a slot, it admits once on any day
    within ``valid_days`` of its purchase; its ``quantity`` is its own capacity. The service's
    one holder session (no time of its own, never listed as a slot) is made with the first."""
    _ensure_service(event)
    if not data.get("valid_days"):
        raise ScheduleError(_("Say for how many days the ticket is valid."))
    event = Event.objects.select_for_update().get(pk=event.pk)  # one holder session per service
    holder = Session.objects.filter(event=event, is_open_dated=True).first()
    if holder is None:
        holder = Session.objects.create(event=event, starts_at=timezone.now(), is_open_dated=True)
    return ticket_type_create(session=holder, data=data)

"""Services with schedules for the tests of ``events.schedules``."""

from datetime import date, time
from decimal import Decimal

import factory

from events.models import Event, Schedule, ScheduleTicketType
from tests.factories import EventFactory


class ServiceFactory(EventFactory):
    kind = Event.Kind.SERVICE
    title_ru = factory.Sequence(lambda n: f"Музей {n}")
    title_en = factory.Sequence(lambda n: f"Museum {n}")


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    event = factory.SubFactory(ServiceFactory)
    name = "Вход"
    pattern = Schedule.Pattern.TIMES
    weekdays = "MO,TU,WE,TH,FR,SA,SU"
    times = "10:00 14:30"
    opens_at = time(10, 0)
    closes_at = time(18, 0)
    interval_minutes = 60
    duration_minutes = 60
    valid_from = factory.LazyFunction(lambda: date(2020, 1, 1))
    capacity = 20


class ScheduleTicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleTicketType

    schedule = factory.SubFactory(ScheduleFactory)
    name_ru = "Взрослый"
    name_kk = "Ересек"
    name_en = "Adult"
    price = Decimal("2000")
    max_per_order = 10

"""Idempotent demo of services sold by time slot: a museum open Tuesday to Sunday with an
entry every hour (an audio guide shared by some tickets) and a city tour on weekends.

Runs after ``seed_demo`` (it needs the demo users and cities). Running it again creates
nothing new: the services are found by their slugs, and their slots only move on to the
horizon (``SCHEDULES_HORIZON_DAYS``), as the nightly task does.
"""

from datetime import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events.demo.posters import demo_event_dress
from events.models import Category, City, Event, Schedule, Venue
from events.schedules.services import schedule_create, schedule_materialise
from organizers.models import Membership, Organizer

ORGANIZER = {
    "slug": "steppe-heritage",
    "public_name": "Steppe Heritage",
    "kind": Organizer.Kind.TOO,
    "legal_name": "ТОО «Наследие степи»",
    "bin_iin": "190340012348",
}
CATEGORIES = {
    "museums": ("Музеи и выставки", "Мұражайлар мен көрмелер", "Museums and exhibitions"),
    "tours": ("Экскурсии", "Экскурсиялар", "Tours"),
}
SERVICES = [
    {
        "slug": "steppe-heritage-museum",
        "category": "museums",
        "venue": ("Музей «Наследие степи»", "ул. Желтоксан, 137"),
        "title": ("Музей «Наследие степи»", "«Дала мұрасы» мұражайы", "Steppe Heritage Museum"),
        "description": (
            "Постоянная экспозиция о кочевой культуре: юрта в натуральную величину, золото "
            "саков, музыкальные инструменты и ремёсла. Вход каждый час; аудиогид на русском, "
            "казахском и английском — по отдельному билету, их число ограничено.",
            "Көшпелі мәдениет туралы тұрақты экспозиция: табиғи өлшемдегі киіз үй, сақ "
            "алтыны, музыкалық аспаптар мен қолөнер. Кіру әр сағат сайын; орыс, қазақ және "
            "ағылшын тілдеріндегі аудиогид — жеке билетпен, саны шектеулі.",
            "A permanent exhibition of nomadic culture: a full-size yurt, Saka gold, musical "
            "instruments and crafts. Entry every hour; an audio guide in Russian, Kazakh and "
            "English comes with its own ticket, and there are only so many.",
        ),
        "schedule": {
            "name": "Ежедневный вход",
            "pattern": Schedule.Pattern.INTERVAL,
            "weekdays": "TU,WE,TH,FR,SA,SU",
            "opens_at": time(10, 0),
            "closes_at": time(18, 0),
            "interval_minutes": 60,
            "duration_minutes": 60,
            "closed_on_public_holidays": True,
            "capacity": 30,
            "resource_name": "Аудиогид",
            "resource_capacity": 8,
        },
        "ticket_types": [
            (("Взрослый", "Ересек", "Adult"), "2000", False),
            (("Студент", "Студент", "Student"), "1000", False),
            (("Детский", "Балалар", "Child"), "500", False),
            (
                ("Взрослый с аудиогидом", "Аудиогидпен ересек", "Adult with audio guide"),
                "3500",
                True,
            ),
        ],
    },
    {
        "slug": "almaty-old-town-tour",
        "category": "tours",
        "venue": ("Старая площадь (сбор у фонтана)", "пр. Абылай хана, 48"),
        "title": ("Прогулка по старому Алматы", "Ескі Алматы бойынша серуен", "Old Almaty walk"),
        "description": (
            "Пешая экскурсия с гидом: Вознесенский собор, Зелёный базар, дома верненской "
            "эпохи и истории о том, как город пережил землетрясения. Три часа, по выходным.",
            "Гидпен жаяу экскурсия: Вознесение соборы, Көк базар, Верный дәуірінің үйлері "
            "және қаланың жер сілкіністерінен қалай аман қалғаны туралы әңгімелер. Үш сағат, "
            "демалыс күндері.",
            "A guided walk: Ascension Cathedral, the Green Bazaar, houses of the Verny era "
            "and how the city lived through its earthquakes. Three hours, on weekends.",
        ),
        "schedule": {
            "name": "Выходные",
            "pattern": Schedule.Pattern.TIMES,
            "weekdays": "SA,SU",
            "times": "11:00 15:00",
            "duration_minutes": 180,
            "capacity": 15,
        },
        "ticket_types": [
            (("Взрослый", "Ересек", "Adult"), "6000", False),
            (
                ("Детский (до 12 лет)", "Балалар (12 жасқа дейін)", "Child (under 12)"),
                "3000",
                False,
            ),
        ],
    },
]


def _translated(prefix: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {f"{prefix}_{code}": text for code, text in zip(("ru", "kk", "en"), values, strict=True)}


class Command(BaseCommand):
    help = "Load the demo services (a museum with daily slots, a weekend tour) after seed_demo."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        city = City.objects.filter(slug="almaty").first()
        if city is None:
            raise CommandError("Run seed_demo first: the demo cities are missing.")
        organizer = self._organizer()
        created = 0
        for spec in SERVICES:
            event = Event.objects.filter(slug=spec["slug"]).first()
            if event is not None:
                demo_event_dress(event)
                for schedule in event.schedules.all():
                    schedule_materialise(schedule=schedule)
                continue
            self._service(spec, organizer=organizer, city=city)
            created += 1
        self.stdout.write(self.style.SUCCESS(f"Demo services ready ({created} new)."))

    def _organizer(self) -> Organizer:
        organizer, _created = Organizer.objects.get_or_create(
            slug=ORGANIZER["slug"],
            defaults={
                **{k: v for k, v in ORGANIZER.items() if k != "slug"},
                "legal_address": "г. Алматы, ул. Желтоксан, 137",
                "iban": "KZ86125KZT5004100100",
                "bank_name": "АО «Банк»",
                "bik": "KCJBKZKX",
                "contact_person": "Демо Контакт",
                "phone": "+77011234567",
                "email": "steppe-heritage@demo.eventum.one",
                "status": Organizer.Status.VERIFIED,
                "reviewed_at": timezone.now(),
            },
        )
        owner = Membership.objects.filter(organizer__slug="dombra-live", role="owner").first()
        if owner is not None:  # the demo organizer login sees the services in its cabinet too
            Membership.objects.get_or_create(
                organizer=organizer, user=owner.user, defaults={"role": Membership.Role.OWNER}
            )
        return organizer

    def _service(self, spec: dict, *, organizer: Organizer, city: City) -> Event:
        names = CATEGORIES[spec["category"]]
        category, _created = Category.objects.get_or_create(
            slug=spec["category"], defaults=_translated("name", names)
        )
        venue_name, address = spec["venue"]
        venue, _created = Venue.objects.get_or_create(
            organizer=organizer, name=venue_name, city=city, defaults={"address": address}
        )
        event = Event.objects.create(
            slug=spec["slug"],
            kind=Event.Kind.SERVICE,
            organizer=organizer,
            category=category,
            venue=venue,
            status=Event.Status.PUBLISHED,
            published_at=timezone.now(),
            **_translated("title", spec["title"]),
            **_translated("description", spec["description"]),
        )
        demo_event_dress(event)
        schedule_create(
            event=event,
            data={**spec["schedule"], "valid_from": timezone.localdate()},
            ticket_types=[
                {**_translated("name", names), "price": Decimal(price), "uses_resource": shared}
                for names, price, shared in spec["ticket_types"]
            ],
        )
        return event

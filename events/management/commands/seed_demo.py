"""Idempotent demo data: three users, three organizers, events with sessions and ticket types,
posters drawn for them (``events.demo``) and descriptions in ru/kk/en.

Running it again changes nothing that already exists (rows are found by their slug or e-mail).
"""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events.demo.posters import demo_event_dress
from events.models import Category, City, Event, Session, TicketType, Venue
from organizers.models import Membership, Organizer
from organizers.validators import validate_bin_iin_for_kind

DEMO_PASSWORD = "eventum-demo-2026"
DEMO_USERS = {
    "buyer": "buyer@demo.eventum.one",
    "organizer": "organizer@demo.eventum.one",
    "staff": "staff@demo.eventum.one",
}

CITIES = {
    "almaty": ("Алматы", "Алматы", "Almaty"),
    "astana": ("Астана", "Астана", "Astana"),
    "shymkent": ("Шымкент", "Шымкент", "Shymkent"),
}
CATEGORIES = {
    "concerts": ("Концерты", "Концерттер", "Concerts"),
    "theatre": ("Театр", "Театр", "Theatre"),
    "conferences": ("Конференции", "Конференциялар", "Conferences"),
    "kids": ("Детям", "Балаларға", "For kids"),
}
ORGANIZERS = [
    {
        "slug": "dombra-live",
        "public_name": "Dombra Live",
        "kind": Organizer.Kind.TOO,
        "legal_name": "ТОО «Домбра Лайв»",
        "bin_iin": "180240021341",
        "owner": "organizer",
    },
    {
        "slug": "astana-stage",
        "public_name": "Astana Stage",
        "kind": Organizer.Kind.IP,
        "legal_name": "ИП Сейткали А. Б.",
        "bin_iin": "850315300158",
        "owner": None,
    },
    {
        "slug": "tech-steppe",
        "public_name": "Tech Steppe",
        "kind": Organizer.Kind.TOO,
        "legal_name": "ТОО «Тех Степь»",
        "bin_iin": "200140011228",
        "owner": None,
    },
]
VENUE_ADDRESSES = {
    "Дворец Республики": "пр. Достык, 56",
    "Астана Опера": "ул. Кунаева, 1",
    "Almaty Arena": "ул. Момышулы, 1",
    "Городской дворец культуры": "пр. Тауке хана, 2",
}
# Events that organisations may buy for (with an invoice, and by bank transfer where offered).
COMPANY_EVENTS = {"dombra-night-almaty", "steppe-tech-conf"}
# slug, organizer, category, city, venue, titles (ru, kk, en), days ahead of today, ticket types
EVENTS = [
    (
        "dombra-night-almaty",
        "dombra-live",
        "concerts",
        "almaty",
        "Дворец Республики",
        ("Ночь домбры", "Домбыра түні", "Dombra Night"),
        [14, 15],
        [
            (("Партер", "Партер", "Stalls"), "12500", 200),
            (("Балкон", "Балкон", "Balcony"), "7000", 150),
            (("VIP", "VIP", "VIP"), "30000", 20),
        ],
    ),
    (
        "abai-theatre-astana",
        "astana-stage",
        "theatre",
        "astana",
        "Астана Опера",
        ("Абай: спектакль", "Абай: қойылым", "Abai: the play"),
        [21, 28],
        [(("Стандарт", "Стандарт", "Standard"), "8000", 300)],
    ),
    (
        "steppe-tech-conf",
        "tech-steppe",
        "conferences",
        "almaty",
        "Almaty Arena",
        ("Tech Steppe 2027", "Tech Steppe 2027", "Tech Steppe 2027"),
        [40],
        [
            (("Бесплатная регистрация", "Тегін тіркелу", "Free registration"), "0", 500),
            (("Бизнес", "Бизнес", "Business"), "45000", 50),
        ],
    ),
    (
        "kids-puppet-show",
        "astana-stage",
        "kids",
        "shymkent",
        "Городской дворец культуры",
        ("Кукольный театр для детей", "Балаларға арналған қуыршақ театры", "Puppet show for kids"),
        [9, 10, 16],
        [
            (("Детский", "Балалар", "Child"), "3000", 120),
            (("Взрослый", "Ересек", "Adult"), "4500", 120),
        ],
    ),
]


def _translated(prefix: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {f"{prefix}_{code}": text for code, text in zip(("ru", "kk", "en"), values, strict=True)}


class Command(BaseCommand):
    help = "Load idempotent demo data (users, organizers, events) for the embedded default."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        users = {role: self._user(role, email) for role, email in DEMO_USERS.items()}
        cities = {
            slug: City.objects.get_or_create(slug=slug, defaults=_translated("name", names))[0]
            for slug, names in CITIES.items()
        }
        categories = {
            slug: Category.objects.get_or_create(slug=slug, defaults=_translated("name", names))[0]
            for slug, names in CATEGORIES.items()
        }
        organizers = {spec["slug"]: self._organizer(spec, users) for spec in ORGANIZERS}
        created = 0
        for slug, org, category, city, venue_name, titles, days, ticket_types in EVENTS:
            existing = Event.objects.filter(slug=slug).select_related("organizer").first()
            if existing is not None:
                demo_event_dress(existing)
                continue
            venue, _ = Venue.objects.get_or_create(
                name=venue_name,
                city=cities[city],
                defaults={"address": VENUE_ADDRESSES[venue_name]},
            )
            event = Event.objects.create(
                slug=slug,
                organizer=organizers[org],
                category=categories[category],
                venue=venue,
                status=Event.Status.PUBLISHED,
                published_at=timezone.now(),
                allow_company_purchases=slug in COMPANY_EVENTS,
                **_translated("title", titles),
            )
            demo_event_dress(event)
            self._sessions(event, days, ticket_types)
            created += 1
        # The operator's details and the policy in ru/kk/en (privacy/policy_texts/).
        call_command("seed_demo_privacy", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new events)."))

    def _user(self, role: str, email: str):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=role + "-demo",
            defaults={"email": email, "is_staff": role == "staff", "is_superuser": role == "staff"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _organizer(self, spec: dict, users: dict) -> Organizer:
        organizer, created = Organizer.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "public_name": spec["public_name"],
                "kind": spec["kind"],
                "legal_name": spec["legal_name"],
                "bin_iin": spec["bin_iin"],
                "legal_address": "г. Алматы, пр. Абая, 1",
                "iban": "KZ86125KZT5004100100",
                "bank_name": "АО «Банк»",
                "bik": "KCJBKZKX",
                "kbe": "17" if spec["kind"] == Organizer.Kind.TOO else "19",
                "contact_person": "Демо Контакт",
                "phone": "+77011234567",
                "email": f"{spec['slug']}@demo.eventum.one",
                "status": Organizer.Status.VERIFIED,
                "reviewed_at": timezone.now(),
            },
        )
        if not created and organizer.bin_iin != spec["bin_iin"]:
            # Demo rows made before the БИН/ИИН check existed carried invalid numbers.
            try:
                validate_bin_iin_for_kind(organizer.bin_iin, organizer.kind)
            except ValidationError:
                organizer.bin_iin = spec["bin_iin"]
                organizer.save(update_fields=["bin_iin"])
        if spec["owner"]:
            Membership.objects.get_or_create(
                organizer=organizer,
                user=users[spec["owner"]],
                defaults={"role": Membership.Role.OWNER},
            )
        return organizer

    def _sessions(self, event: Event, days: list[int], ticket_types: list) -> None:
        today = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
        for day in days:
            starts_at = today + timedelta(days=day)
            session = Session.objects.create(
                event=event,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2, minutes=30),
                doors_open_at=starts_at - timedelta(hours=1),
            )
            for position, (names, price, quantity) in enumerate(ticket_types):
                TicketType.objects.create(
                    session=session,
                    price=Decimal(price),
                    quantity=quantity,
                    position=position,
                    sale_ends_at=starts_at,
                    **_translated("name", names),
                )

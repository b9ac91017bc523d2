"""factory-boy factories shared by every app's tests."""

from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import Category, City, Event, Session, TicketType, Venue
from organizers.models import Membership, Organizer

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizer

    slug = factory.Sequence(lambda n: f"organizer-{n}")
    public_name = factory.Sequence(lambda n: f"Организатор {n}")
    kind = Organizer.Kind.TOO
    legal_name = factory.LazyAttribute(lambda o: f"ТОО «{o.public_name}»")
    bin_iin = "180240021341"  # valid БИН (check digit 1)
    legal_address = "г. Алматы, ул. Абая, 10"
    iban = "KZ86125KZT5004100100"
    bank_name = "АО «Банк»"
    bik = "KCJBKZKX"
    contact_person = "Иван Иванов"
    phone = "+77011234567"
    email = factory.Sequence(lambda n: f"org{n}@example.kz")
    status = Organizer.Status.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organizer = factory.SubFactory(OrganizerFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "concerts"
    name_ru = "Концерты"
    name_kk = "Концерттер"
    name_en = "Concerts"


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    slug = "almaty"
    name_ru = "Алматы"
    name_kk = "Алматы"
    name_en = "Almaty"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Зал {n}")
    city = factory.SubFactory(CityFactory)
    address = "пр. Достык, 1"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organizer = factory.SubFactory(OrganizerFactory)
    slug = factory.Sequence(lambda n: f"event-{n}")
    title_ru = factory.Sequence(lambda n: f"Концерт {n}")
    title_kk = factory.Sequence(lambda n: f"Концерт {n} (kk)")
    title_en = factory.Sequence(lambda n: f"Concert {n}")
    description_ru = "Описание"
    category = factory.SubFactory(CategoryFactory)
    venue = factory.SubFactory(VenueFactory)
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    session = factory.SubFactory(SessionFactory)
    name_ru = "Стандарт"
    name_kk = "Стандарт"
    name_en = "Standard"
    price = Decimal("5000")
    quantity = 100

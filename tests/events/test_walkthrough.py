"""The issue's "done when", as a new user would go: sign up, fill the legal profile (a wrong БИН
is refused), get verified by staff in the admin, create an event with two sessions and three
ticket types, publish it and find it in the catalogue in Russian, Kazakh and English."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from events.models import Event, TicketType
from organizers.models import Organizer
from tests.events.conftest import local
from tests.factories import CategoryFactory, CityFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "steppe-organizer-pass-42"


def _link_in(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_new_organizer_from_sign_up_to_the_catalogue_in_three_languages(
    client, django_capture_on_commit_callbacks, in_days
):
    city = CityFactory()
    category = CategoryFactory()

    # 1. Sign up and confirm the e-mail address.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "aliya@steppe-events.kz", "password1": PASSWORD, "password2": PASSWORD},
        )
    client.post(_link_in(mail.outbox[-1]))
    assert client.get(reverse("account_overview")).status_code == 200

    # 2. The legal profile: a wrong БИН is refused with a clear message, then a right one.
    profile = {
        "public_name": "Steppe Events",
        "kind": "too",
        "legal_name": "ТОО «Степные события»",
        "bin_iin": "180240021346",
        "legal_address": "г. Алматы, ул. Панфилова, 98",
        "iban": "KZ86125KZT5004100100",
        "bank_name": "АО «Банк ЦентрКредит»",
        "bik": "KCJBKZKX",
        "contact_person": "Алия Нурланова",
        "phone": "+7 701 555 12 34",
        "email": "aliya@steppe-events.kz",
    }
    refused = client.post(reverse("organizers:organizer_create"), profile)
    assert "контрольная цифра не совпадает" in refused.content.decode()
    assert not Organizer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizers:organizer_create"), {**profile, "bin_iin": "180240021341"})
    organizer = Organizer.objects.get()
    assert organizer.status == Organizer.Status.PENDING
    slug = organizer.slug

    # 3. Staff verify it in the admin; the organizer is e-mailed.
    staff = UserFactory(is_staff=True, is_superuser=True)
    staff_client = client.__class__()
    staff_client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:organizers_organizer_changelist"),
            {"action": "verify_selected", "_selected_action": [organizer.pk]},
        )
    organizer.refresh_from_db()
    assert organizer.status == Organizer.Status.VERIFIED
    assert "aliya@steppe-events.kz" in mail.outbox[-1].to

    # 4. An event with two sessions and three ticket types.
    client.post(
        reverse("events_cabinet:event_create", kwargs={"organizer_slug": slug}),
        {
            "title_ru": "Джаз в степи",
            "title_kk": "Даладағы джаз",
            "title_en": "Jazz in the Steppe",
            "description_ru": "Вечер джаза под открытым небом.",
            "category": category.pk,
            "age_rating": "12+",
            "venue_name": "Парк Первого Президента",
            "venue_city": city.pk,
            "venue_address": "пр. Аль-Фараби",
        },
    )
    event = Event.objects.get()
    for day in (12, 13):
        client.post(
            reverse(
                "events_cabinet:session_create", kwargs={"organizer_slug": slug, "pk": event.pk}
            ),
            {"starts_at": local(in_days(day)), "doors_open_at": local(in_days(day, 18))},
        )
    first, second = event.sessions.order_by("starts_at")
    for session, name, price in [
        (first, "Танцпол", "8000"),
        (first, "VIP", "25000"),
        (second, "Танцпол", "8000"),
    ]:
        client.post(
            reverse(
                "events_cabinet:ticket_type_create",
                kwargs={"organizer_slug": slug, "pk": session.pk},
            ),
            {
                "name_ru": name,
                "name_en": name,
                "price": price,
                "quantity": "150",
                "max_per_order": "6",
                "position": "0",
            },
        )
    assert TicketType.objects.filter(session__event=event).count() == 3

    # 5. Publish it.
    client.post(
        reverse("events_cabinet:event_publish", kwargs={"organizer_slug": slug, "pk": event.pk})
    )
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    # 6. Anyone finds it in the catalogue, in each language.
    visitor = client.__class__()
    for language, title, word in [
        ("ru", "Джаз в степи", "Найдено 1 событие"),
        ("kk", "Даладағы джаз", "1 іс-шара табылды"),
        ("en", "Jazz in the Steppe", "1 event found"),
    ]:
        with translation.override(language):
            catalogue_url = reverse("events:catalogue")
            event_url = event.get_absolute_url()
        catalogue = visitor.get(catalogue_url).content.decode()
        assert title in catalogue
        assert word in catalogue
        page = visitor.get(event_url).content.decode()
        assert f"<h1>{title}</h1>" in page
        assert "Steppe Events" in page
        assert "25\u00a0000\u00a0₸" in page

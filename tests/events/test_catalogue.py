"""The public side: home, catalogue with filters, search and pages, event and organizer pages,
availability labels, OpenGraph, JSON-LD, sitemap and caching headers."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event, TicketType
from tests.factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    SessionFactory,
    TicketTypeFactory,
)
from tests.queries import writes

pytestmark = pytest.mark.django_db


def _event(days=10, price="5000", quantity=100, taken=0, **event_fields):
    session = SessionFactory(
        starts_at=timezone.now() + timedelta(days=days), event=EventFactory(**event_fields)
    )
    TicketTypeFactory(
        session=session, price=Decimal(price), quantity=quantity, quantity_taken=taken
    )
    return session.event


def _titles(response):
    return [event.title_ru for event in response.context["events"]]


def test_catalogue_lists_upcoming_published_events_soonest_first(client):
    later = _event(days=20, title_ru="Позже")
    sooner = _event(days=5, title_ru="Раньше")
    _event(days=7, title_ru="Черновик", status=Event.Status.DRAFT)
    _event(days=-3, title_ru="Прошло")
    _event(days=8, title_ru="Отменено", status=Event.Status.CANCELLED)
    response = client.get(reverse("events:catalogue"))
    assert _titles(response) == [sooner.title_ru, later.title_ru]


def test_filters_by_city_category_dates_and_price(client):
    astana = CityFactory(slug="astana", name_ru="Астана", name_kk="Астана", name_en="Astana")
    theatre = CategoryFactory(slug="theatre", name_ru="Театр", name_kk="Театр", name_en="Theatre")
    almaty_concert = _event(days=3, title_ru="Алматы концерт", price="12000")
    astana_play = _event(
        days=30,
        title_ru="Астана спектакль",
        price="3000",
        category=theatre,
        venue__city=astana,
    )
    free = _event(days=12, title_ru="Бесплатно", price="0")
    url = reverse("events:catalogue")
    assert _titles(client.get(url, {"city": "astana"})) == [astana_play.title_ru]
    assert _titles(client.get(url, {"category": "theatre"})) == [astana_play.title_ru]
    in_ten_days = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert _titles(client.get(url, {"date_to": in_ten_days})) == [almaty_concert.title_ru]
    assert _titles(client.get(url, {"date_from": in_ten_days})) == [
        free.title_ru,
        astana_play.title_ru,
    ]
    assert _titles(client.get(url, {"price_max": "5000"})) == [free.title_ru, astana_play.title_ru]
    assert _titles(client.get(url, {"free": "on"})) == [free.title_ru]
    # Nonsense in the query string is ignored, not an error.
    assert len(_titles(client.get(url, {"city": "atlantis", "date_from": "soon"}))) == 3


def test_price_shown_is_the_lowest_within_the_date_range(client):
    event = _event(days=3, price="9000")
    TicketTypeFactory(
        session=SessionFactory(event=event, starts_at=timezone.now() + timedelta(days=40)),
        price=Decimal("1000"),
    )
    url = reverse("events:catalogue")
    (row,) = client.get(url).context["events"]
    assert row.min_price == Decimal("1000")
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    (row,) = client.get(url, {"date_to": until}).context["events"]
    assert row.min_price == Decimal("9000")


@pytest.mark.parametrize("query", ["домбры", "Домбры", "ДОМБРЫ", "dombra"])
def test_search_by_text(client, query):
    wanted = _event(title_ru="Ночь домбры", title_en="Dombra night")
    _event(title_ru="Кукольный театр", title_en="Puppet show")
    response = client.get(reverse("events:catalogue"), {"q": query})
    assert _titles(response) == [wanted.title_ru]


def test_catalogue_is_paginated(client):
    for day in range(1, 15):
        _event(days=day)
    url = reverse("events:catalogue")
    first = client.get(url)
    assert len(first.context["events"]) == 12
    assert first.context["page"].paginator.count == 14
    second = client.get(url, {"page": 2})
    assert len(second.context["events"]) == 2
    assert 'rel="prev"' in second.content.decode()


def _make_events(n, sessions=2, ticket_types=3):
    for i in range(n):
        event = EventFactory()
        for s in range(sessions):
            session = SessionFactory(
                event=event, starts_at=timezone.now() + timedelta(days=2 + i + s)
            )
            for t in range(ticket_types):
                TicketTypeFactory(session=session, price=Decimal(1000 * (t + 1)))


@pytest.mark.parametrize("url_name", ["events:home", "events:catalogue"])
def test_list_pages_make_the_same_number_of_queries_whatever_the_data(
    client, url_name, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _make_events(2, sessions=1, ticket_types=1)
    client.get(reverse(url_name))  # the footer's operator is read once, then cached
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    _make_events(10, sessions=3, ticket_types=4)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert len(response.context["events"]) == 12
    assert len(few.captured_queries) <= 10


def test_event_page_makes_the_same_number_of_queries_whatever_the_data(
    client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = _event()
    client.get(small.get_absolute_url())  # the footer's operator is read once, then cached
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    big = EventFactory()
    for s in range(6):
        session = SessionFactory(event=big, starts_at=timezone.now() + timedelta(days=3 + s))
        for t in range(5):
            TicketTypeFactory(session=session, price=Decimal(500 * t))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(big.get_absolute_url())
    assert len(response.context["sessions"]) == 6
    assert len(few.captured_queries) <= 10


def test_event_page_shows_sessions_ticket_types_and_live_availability(client):
    event = EventFactory(title_ru="Ночь домбры", organizer__public_name="Dombra Live")
    session = SessionFactory(event=event)
    TicketTypeFactory(session=session, name_ru="Партер", price=Decimal("12500"), quantity=200)
    TicketTypeFactory(
        session=session, name_ru="Балкон", price=Decimal("7000"), quantity=50, quantity_taken=50
    )
    TicketTypeFactory(
        session=session, name_ru="VIP", price=Decimal("30000"), quantity=20, quantity_taken=17
    )
    TicketTypeFactory(session=session, name_ru="Детский", price=Decimal("0"), quantity=10)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Ночь домбры" in page
    assert "12\u00a0500\u00a0₸" in page
    assert re.search(r"Балкон.*?Распродано", page, re.S)
    assert re.search(r"VIP.*?Осталось мало", page, re.S)
    assert re.search(r"Детский.*?Бесплатно", page, re.S)
    assert "Dombra Live" in page
    assert event.organizer.get_absolute_url() in page
    # The sales flow's purchase form is included inside the session block.
    assert page.count('name="session"') == 1


def test_event_page_only_reads_and_the_catalogue_leaves_tickets_alone(client, settings):
    """A GET shows availability without returning expired holds to sale (writes do that)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    ticket_type = TicketTypeFactory(quantity=10, quantity_taken=4)
    event = ticket_type.session.event
    with CaptureQueriesContext(connection) as queries:
        page = client.get(event.get_absolute_url())
    assert page.status_code == 200
    assert writes(queries) == []
    with CaptureQueriesContext(connection) as queries:
        catalogue = client.get(reverse("events:catalogue"))
    assert catalogue.context["events"][0].tickets_left == 6
    # The catalogue's one write is the stored next start of events whose session has begun
    # (``events.upcoming``); tickets and holds are never written by a page.
    assert all('"events_event"' in sql.split(" SET ")[0] for sql in writes(queries))
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 4


def test_drafts_are_not_public(client):
    draft = _event(status=Event.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_cancelled_event_page_says_so(client):
    event = _event(status=Event.Status.CANCELLED)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "отменено" in page
    assert "EventCancelled" in page


def test_opengraph_and_json_ld(client):
    event = _event(
        title_ru="Ночь домбры",
        price="12500",
        venue__latitude=Decimal("43.2"),
        venue__longitude=Decimal("76.9"),
    )
    SessionFactory(event=event, starts_at=timezone.now() + timedelta(days=11))
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Ночь домбры">' in page
    assert f'content="http://testserver{event.get_absolute_url()}"' in page
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(raw)
    assert [item["@type"] for item in data] == ["Event", "Event"]
    first = data[0]
    assert first["name"] == "Ночь домбры"
    assert first["location"]["address"]["addressLocality"] == "Алматы"
    assert first["location"]["geo"]["latitude"] == 43.2
    assert first["offers"][0]["price"] == "12500.00"
    assert first["offers"][0]["priceCurrency"] == "KZT"
    assert first["offers"][0]["availability"] == "https://schema.org/InStock"
    assert first["organizer"]["name"] == event.organizer.public_name


def test_json_ld_cannot_break_out_of_the_script_tag(client):
    event = _event(title_ru="</script><script>alert(1)</script>")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page


def test_organizer_public_page_lists_its_upcoming_events(client):
    event = _event(title_ru="Моё событие")
    _event(title_ru="Чужое событие")
    response = client.get(event.organizer.get_absolute_url())
    assert response.status_code == 200
    assert [e.title_ru for e in response.context["events"]] == ["Моё событие"]
    assert event.organizer.public_name in response.content.decode()
    assert client.get(reverse("events:organizer_detail", args=["nobody"])).status_code == 404


def test_sitemap_lists_events_and_organizers_in_three_languages(client):
    event = _event()
    draft = _event(status=Event.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/</loc>" in xml
    assert f"/events/{event.slug}/" in xml
    assert f"/kk/events/{event.slug}/" in xml
    assert f"/en/events/{event.slug}/" in xml
    assert f"/organizers/{event.organizer.slug}/" in xml
    assert draft.slug not in xml


@pytest.mark.parametrize(
    "url_name",
    ["events:home", "events:catalogue", "events:event_detail", "events:organizer_detail"],
)
def test_public_pages_are_cacheable_for_anonymous_visitors_only(client, url_name):
    event = _event()
    kwargs = {}
    if url_name == "events:event_detail":
        kwargs = {"slug": event.slug}
    elif url_name == "events:organizer_detail":
        kwargs = {"slug": event.organizer.slug}
    url = reverse(url_name, kwargs=kwargs)
    anonymous = client.get(url)
    assert "public" in anonymous["Cache-Control"]
    assert "max-age=60" in anonymous["Cache-Control"]
    assert "Cookie" in anonymous["Vary"]
    assert "Accept-Language" in anonymous["Vary"]
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    signed_in = client.get(url)
    assert "private" in signed_in["Cache-Control"]
    assert "public" not in signed_in["Cache-Control"]


@pytest.mark.parametrize(
    ("language", "title", "city"),
    [
        ("ru", "Ночь домбры", "Алматы"),
        ("kk", "Домбыра түні", "Алматы"),
        ("en", "Dombra Night", "Almaty"),
    ],
)
def test_catalogue_and_event_page_in_three_languages(client, language, title, city):
    event = _event(title_ru="Ночь домбры", title_kk="Домбыра түні", title_en="Dombra Night")
    with translation.override(language):
        catalogue_url = reverse("events:catalogue")
        event_url = event.get_absolute_url()
    catalogue = client.get(catalogue_url).content.decode()
    assert f'<html lang="{language}">' in catalogue
    assert title in catalogue
    assert city in catalogue
    page = client.get(event_url).content.decode()
    assert f"<h1>{title}</h1>" in page


def test_missing_translation_falls_back_to_russian(client):
    event = _event(title_ru="Только по-русски", title_kk="", title_en="")
    with translation.override("en"):
        url = event.get_absolute_url()
    assert "<h1>Только по-русски</h1>" in client.get(url).content.decode()


def _city_options(html: str) -> list[str]:
    select = html.split('name="city"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_city_filter_lists_only_cities_with_events_ahead(client):
    astana = CityFactory(slug="astana", name_ru="Астана", name_kk="Астана", name_en="Astana")
    CityFactory(slug="aktau", name_ru="Актау", name_kk="Ақтау", name_en="Aktau")
    shymkent = CityFactory(
        slug="shymkent", name_ru="Шымкент", name_kk="Шымкент", name_en="Shymkent"
    )
    _event(days=5)  # Almaty
    _event(days=9, venue__city=astana)
    _event(days=-2, venue__city=shymkent)  # over
    _event(days=4, venue__city=shymkent, status=Event.Status.DRAFT)
    url = reverse("events:catalogue")
    assert _city_options(client.get(url).content.decode()) == ["", "almaty", "astana"]
    # a city without events chosen by its address stays chosen (and filters to nothing)
    page = client.get(url, {"city": "aktau"})
    assert _city_options(page.content.decode()) == ["", "almaty", "astana", "aktau"]
    assert 'value="aktau" selected' in page.content.decode() and _titles(page) == []


def test_the_city_filter_is_one_query_and_cached(client, settings, django_assert_num_queries):
    from django.core.cache import cache

    from events.selectors import cities_with_upcoming_events

    settings.PUBLIC_PAGE_CACHE_SECONDS = 5
    cache.clear()
    _event(days=5)
    with translation.override("en"), django_assert_num_queries(1):
        assert cities_with_upcoming_events() == [("almaty", "Almaty")]
    astana = CityFactory(slug="astana", name_ru="Астана", name_kk="Астана", name_en="Astana")
    _event(days=9, venue__city=astana)
    with translation.override("en"), django_assert_num_queries(0):
        assert cities_with_upcoming_events() == [("almaty", "Almaty")]  # cached a minute
    cache.clear()
    with translation.override("en"):
        assert cities_with_upcoming_events() == [("almaty", "Almaty"), ("astana", "Astana")]

"""The event page is served from a short server-side cache to visitors without a session."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from events.caching.pages import page_key
from events.models import Event, TicketType
from eventum.kept_markup import CSRF_STAND_IN
from tests.factories import SessionFactory, TicketTypeFactory
from tickets.models import Reservation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 5


@pytest.fixture
def ticket_type():
    session = SessionFactory()
    return TicketTypeFactory(session=session, name_ru="Партер", price=Decimal(5000), quantity=50)


def _url(ticket_type) -> str:
    return reverse("events:event_detail", args=[ticket_type.session.event.slug])


def test_a_second_visitor_gets_the_cached_page_without_database_queries(
    ticket_type, django_assert_num_queries
):
    first = Client(enforce_csrf_checks=True).get(_url(ticket_type))
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client(enforce_csrf_checks=True).get(_url(ticket_type))
    assert second.status_code == 200
    assert "Партер" in second.content.decode()


def test_every_visitor_gets_a_working_csrf_token_of_their_own(ticket_type):
    buyers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for buyer in buyers:
        page = buyer.get(_url(ticket_type)).content.decode()
        assert CSRF_STAND_IN not in page
        tokens.append(TOKEN.search(page).group(1))
    assert tokens[0] != tokens[1]

    for buyer, token in zip(buyers, tokens, strict=True):
        response = buyer.post(
            reverse("tickets:cart_update"),
            {
                "csrfmiddlewaretoken": token,
                "session": ticket_type.session_id,
                f"qty_{ticket_type.pk}": "1",
            },
        )
        assert response.status_code == 302, "the token from the cached page was refused"
    assert Reservation.objects.filter(released_at__isnull=True).count() == 2


def test_a_visitor_with_a_cart_sees_their_tickets_and_the_page_of_the_window(client, ticket_type):
    client.get(_url(ticket_type))  # the anonymous copy
    TicketType.objects.filter(pk=ticket_type.pk).update(name_ru="Партер VIP")
    client.post(
        reverse("tickets:cart_update"),
        {"session": ticket_type.session_id, f"qty_{ticket_type.pk}": "2"},
    )

    # the visitor now has a session: not the anonymous copy, the page rendered for them
    page = client.get(_url(ticket_type)).content.decode()

    assert "Партер VIP" in page
    assert re.search(rf'name="qty_{ticket_type.pk}"[^>]*value="2"', page)


def test_languages_are_cached_apart(ticket_type):
    TicketType.objects.filter(pk=ticket_type.pk).update(name_en="Stalls")
    Client().get(_url(ticket_type))

    with translation.override("en"):
        english = Client().get(_url(ticket_type))

    assert english.request["PATH_INFO"].startswith("/en/")
    assert "Stalls" in english.content.decode()


def test_with_the_cache_off_every_visitor_gets_a_fresh_page(settings, ticket_type):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    Client().get(_url(ticket_type))
    TicketType.objects.filter(pk=ticket_type.pk).update(name_ru="Балкон")

    assert "Балкон" in Client().get(_url(ticket_type)).content.decode()


def _expire_the_copy(ticket_type) -> str:
    """Make the stored copy of the page out of date; returns its cache key."""
    with translation.override("ru"):
        key = page_key(RequestFactory().get(_url(ticket_type)))
    html, _fresh_until = cache.get(key)
    cache.set(key, (html, 0), 60)
    return key


def test_an_expired_copy_is_rendered_again_by_one_request_while_the_others_get_the_copy(
    ticket_type, django_assert_num_queries
):
    Client().get(_url(ticket_type))
    TicketType.objects.filter(pk=ticket_type.pk).update(name_ru="Ложа")
    key = _expire_the_copy(ticket_type)

    cache.add(f"{key}:refresh", 1, 10)  # another request is rendering it right now
    with django_assert_num_queries(0):
        assert "Партер" in Client().get(_url(ticket_type)).content.decode()

    cache.delete(f"{key}:refresh")  # nobody is: this request renders it
    assert "Ложа" in Client().get(_url(ticket_type)).content.decode()
    with django_assert_num_queries(0):
        assert "Ложа" in Client().get(_url(ticket_type)).content.decode()


def test_a_page_that_is_gone_stops_being_served_from_the_copy(ticket_type):
    Client().get(_url(ticket_type))
    _expire_the_copy(ticket_type)
    Event.objects.filter(pk=ticket_type.session.event_id).update(status=Event.Status.DRAFT)

    assert Client().get(_url(ticket_type)).status_code == 404
    assert Client().get(_url(ticket_type)).status_code == 404

"""Visitors with a session get the event page built from parts kept a few seconds for all
(``events.caching.fragments``), with their own cart, token, sign-in and messages."""

import re
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from events.caching.fragments import parts_key
from events.models import Event, TicketType
from eventum.kept_markup import CSRF_STAND_IN
from tests.factories import SessionFactory, TicketTypeFactory, UserFactory
from tickets.models import Reservation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 5


@pytest.fixture
def ticket_type():
    session = SessionFactory()
    return TicketTypeFactory(
        session=session,
        name_ru="Партер",
        name_kk="Партер алаңы",
        name_en="Stalls",
        price=Decimal(5000),
        quantity=50,
        max_per_order=6,
    )


def _url(ticket_type, language: str = "ru") -> str:
    with translation.override(language):
        return reverse("events:event_detail", args=[ticket_type.session.event.slug])


def _holding(ticket_type, quantity: int, **client_options) -> Client:
    """A visitor whose cart holds ``quantity`` tickets of ``ticket_type``."""
    visitor = Client(**client_options)
    response = visitor.post(
        reverse("tickets:cart_update"),
        {"session": ticket_type.session_id, f"qty_{ticket_type.pk}": str(quantity)},
    )
    assert response.status_code == 302
    return visitor


def _quantity(page: str, ticket_type) -> str:
    found = re.search(rf'name="qty_{ticket_type.pk}"[^>]*value="([^"]*)"', page)
    assert found, "no quantity field for the ticket type"
    return found.group(1)


def _window_passes(ticket_type, language: str = "ru") -> None:
    """The stored parts of the page expire, as they do after PUBLIC_PAGE_CACHE_SECONDS."""
    with translation.override(language):
        cache.delete(parts_key(RequestFactory().get(_url(ticket_type, language))))


def test_visitors_with_carts_share_the_parts_and_each_sees_their_own_quantities(
    ticket_type, django_assert_max_num_queries
):
    two, three = _holding(ticket_type, 2), _holding(ticket_type, 3)
    assert _quantity(two.get(_url(ticket_type)).content.decode(), ticket_type) == "2"

    # the parts are stored: the page is the session, the user and the cart's quantities
    with django_assert_max_num_queries(4):
        page = three.get(_url(ticket_type)).content.decode()
    assert _quantity(page, ticket_type) == "3"
    assert "__eventum_held_" not in page
    # and a visitor with a session but an empty cart sees 0
    empty = _holding(ticket_type, 0)
    assert _quantity(empty.get(_url(ticket_type)).content.decode(), ticket_type) == "0"


def test_each_visitor_gets_a_working_csrf_token_of_their_own(ticket_type):
    buyers = [_holding(ticket_type, 1, enforce_csrf_checks=False) for _ in range(2)]
    tokens = []
    for buyer in buyers:
        page = buyer.get(_url(ticket_type)).content.decode()
        assert CSRF_STAND_IN not in page
        tokens.append(TOKEN.search(page).group(1))
    assert tokens[0] != tokens[1]

    for buyer, token in zip(buyers, tokens, strict=True):
        buyer.handler.enforce_csrf_checks = True
        response = buyer.post(
            reverse("tickets:cart_update"),
            {
                "csrfmiddlewaretoken": token,
                "session": ticket_type.session_id,
                f"qty_{ticket_type.pk}": "4",
            },
        )
        assert response.status_code == 302, "the token from the stored parts was refused"
        assert _quantity(buyer.get(_url(ticket_type)).content.decode(), ticket_type) == "4"
    assert Reservation.objects.filter(released_at__isnull=True, quantity=4).count() == 2


def test_a_signed_in_visitor_sees_their_header_and_another_visitor_does_not(ticket_type):
    guest = _holding(ticket_type, 1)
    guest.get(_url(ticket_type))  # stores the parts
    member = Client()
    member.force_login(UserFactory())

    member_page = member.get(_url(ticket_type)).content.decode()
    guest_page = guest.get(_url(ticket_type)).content.decode()

    assert reverse("account_overview") in member_page
    assert reverse("account_login") not in member_page
    assert reverse("account_overview") not in guest_page
    assert reverse("account_login") in guest_page


def test_messages_are_the_visitors_own(ticket_type):
    visitor = Client()
    visitor.get(_url(ticket_type))
    response = visitor.post(
        reverse("tickets:cart_update"),
        {"session": ticket_type.session_id, f"qty_{ticket_type.pk}": "99"},
        follow=True,
    )
    assert response.context["messages"]
    told = [str(message) for message in response.context["messages"]]
    other = _holding(ticket_type, 1).get(_url(ticket_type)).content.decode()
    assert told and all(text not in other for text in told)


def test_changes_to_the_event_show_when_the_window_is_over(ticket_type):
    visitor = _holding(ticket_type, 1)
    visitor.get(_url(ticket_type))
    event = ticket_type.session.event
    Event.objects.filter(pk=event.pk).update(title_ru="Новое название")
    TicketType.objects.filter(pk=ticket_type.pk).update(price=Decimal(7000))
    later = SessionFactory(event=event, starts_at=ticket_type.session.starts_at.replace(year=2099))

    kept = visitor.get(_url(ticket_type)).content.decode()
    assert "Новое название" not in kept  # within the window: the stored parts

    _window_passes(ticket_type)
    page = visitor.get(_url(ticket_type)).content.decode()
    assert "Новое название" in page
    assert "7 000" in page or "7\xa0000" in page
    assert f'data-session="{later.pk}"' in page
    assert _quantity(page, ticket_type) == "1"


def test_sold_out_shows_within_the_window(settings, ticket_type):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 1
    visitor = _holding(ticket_type, 1)
    assert "badge-sold-out" not in visitor.get(_url(ticket_type)).content.decode()
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity=F("quantity_taken"))
    # (that the stored parts are served within the window is shown above; not timed here,
    # a busy machine may take longer than the window between two requests)

    time.sleep(1.1)

    assert "badge-sold-out" in visitor.get(_url(ticket_type)).content.decode()


def test_languages_never_mix(ticket_type):
    visitor = _holding(ticket_type, 2)
    pages = {language: visitor.get(_url(ticket_type, language)) for language in ("ru", "kk", "en")}
    again = {language: visitor.get(_url(ticket_type, language)) for language in ("en", "kk", "ru")}

    for language, name in (("ru", "Партер"), ("kk", "Партер алаңы"), ("en", "Stalls")):
        for response in (pages[language], again[language]):
            page = response.content.decode()
            assert f'<html lang="{language}">' in page
            assert f">{name}</label>" in page
            assert _quantity(page, ticket_type) == "2"
    assert ">Stalls</label>" not in again["ru"].content.decode()
    assert ">Stalls</label>" not in again["kk"].content.decode()


def test_anonymous_copies_are_not_built_from_stored_parts(ticket_type):
    _holding(ticket_type, 1).get(_url(ticket_type))  # stores the parts
    TicketType.objects.filter(pk=ticket_type.pk).update(name_ru="Балкон")

    assert "Балкон" in Client().get(_url(ticket_type)).content.decode()


def test_with_the_cache_off_a_visitor_with_a_session_gets_a_fresh_page(settings, ticket_type):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    visitor = _holding(ticket_type, 1)
    visitor.get(_url(ticket_type))
    TicketType.objects.filter(pk=ticket_type.pk).update(name_ru="Балкон")

    assert "Балкон" in visitor.get(_url(ticket_type)).content.decode()


def test_without_the_cache_the_page_is_rendered_for_the_visitor(monkeypatch, ticket_type):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("down")

    visitor = _holding(ticket_type, 2)
    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    response = visitor.get(_url(ticket_type))

    assert response.status_code == 200
    assert _quantity(response.content.decode(), ticket_type) == "2"

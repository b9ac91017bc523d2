"""The catalogue in the public API: lists by cursor, event and sessions, live availability,
languages, ETags, error codes, rate limits and the generated schema."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from tests.factories import CategoryFactory, EventFactory, SessionFactory, TicketTypeFactory
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


def test_list_pages_by_cursor_without_repeats_or_gaps(client, django_assert_max_num_queries):
    events = [_event(days=day) for day in range(1, 8)]
    _event(days=3, status=Event.Status.DRAFT)
    seen, cursor = [], None
    for _page in range(4):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        with django_assert_max_num_queries(4):
            body = client.get("/api/v1/events", params).json()
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [event.slug for event in events]


def test_a_new_event_between_pages_is_neither_repeated_nor_skipped(client):
    first, second, third = (_event(days=day) for day in (1, 5, 9))
    body = client.get("/api/v1/events", {"limit": 2}).json()
    assert [i["slug"] for i in body["items"]] == [first.slug, second.slug]
    _event(days=0.5)  # sorts before the first page: the next page does not repeat anything
    rest = client.get("/api/v1/events", {"limit": 2, "cursor": body["next_cursor"]}).json()
    assert [i["slug"] for i in rest["items"]] == [third.slug]
    assert rest["next_cursor"] is None


def test_forged_cursor_and_bad_filters_are_400_with_codes(client):
    _event()
    response = client.get("/api/v1/events", {"cursor": "forged"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_cursor"
    response = client.get("/api/v1/events", {"city": "atlantis"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_filter")
    response = client.get("/api/v1/events", {"limit": 0})
    assert response.json()["error"] == "invalid_limit"
    response = client.get("/api/v1/events", {"date_from": "not-a-date"})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert response.json()["details"][0]["loc"][-1] == "date_from"


def test_filters_and_search_follow_the_catalogue_page(client):
    theatre = CategoryFactory(slug="theatre", name_ru="Театр", name_kk="Театр", name_en="Theatre")
    play = _event(days=3, price="3000", category=theatre, title_ru="Спектакль о степи")
    _event(days=4, price="20000", title_ru="Концерт")
    body = client.get("/api/v1/events", {"category": "theatre"}).json()
    assert [i["slug"] for i in body["items"]] == [play.slug]
    body = client.get("/api/v1/events", {"price_max": "5000"}).json()
    assert [i["slug"] for i in body["items"]] == [play.slug]
    assert body["items"][0]["min_price"] == "3000.00"
    body = client.get("/api/v1/events", {"q": "степи"}).json()
    assert [i["slug"] for i in body["items"]] == [play.slug]


def test_event_with_sessions_and_ticket_types_in_the_asked_language(client):
    event = _event(title_ru="Ночь домбры", title_kk="Домбыра түні", title_en="Dombra Night")
    body = client.get(f"/api/v1/events/{event.slug}", HTTP_ACCEPT_LANGUAGE="kk").json()
    assert body["title"] == "Домбыра түні"
    english = client.get(f"/api/v1/events/{event.slug}", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["title"] == "Dombra Night"
    assert english["Content-Language"] == "en"
    session = body["sessions"][0]
    assert session["ticket_types"][0]["available"] == 100
    assert session["ticket_types"][0]["price"] == "5000.00"
    assert session["seated"] is False
    sessions = client.get(f"/api/v1/events/{event.slug}/sessions").json()["items"]
    assert [s["id"] for s in sessions] == [session["id"]]


def test_drafts_and_unknown_events_are_404_with_a_code(client):
    draft = _event(status=Event.Status.DRAFT)
    for url in (f"/api/v1/events/{draft.slug}", "/api/v1/events/nope"):
        response = client.get(url)
        assert (response.status_code, response.json()["error"]) == (404, "event_not_found")
    draft_session = draft.sessions.get()
    response = client.get(f"/api/v1/sessions/{draft_session.pk}/availability")
    assert (response.status_code, response.json()["error"]) == (404, "session_not_found")


def test_availability_is_live_and_reads_never_write(client):
    event = _event(quantity=10, taken=4)
    session = event.sessions.get()
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/api/v1/sessions/{session.pk}/availability").json()
        client.get("/api/v1/events")
        client.get(f"/api/v1/events/{event.slug}")
    assert not writes(queries)
    assert body["ticket_types"][0]["available"] == 6
    assert body["ticket_types"][0]["sale_state"] == "available"
    session.ticket_types.update(quantity_taken=10)
    response = client.get(f"/api/v1/sessions/{session.pk}/availability")
    assert response.json()["ticket_types"][0]["sale_state"] == "sold_out"
    assert "no-cache" in response["Cache-Control"]


def test_etag_answers_304_until_the_event_changes(client):
    event = _event(title_ru="Было")
    url = f"/api/v1/events/{event.slug}"
    first = client.get(url)
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    assert "Accept-Language" in first["Vary"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    Event.objects.filter(pk=event.pk).update(title_ru="Стало")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "Стало"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en")["ETag"] != etag


def test_too_many_requests_get_429_with_retry_after(client, settings):
    from eventum.api import site

    throttle = site.api.throttle[0]
    rate = throttle.rate
    throttle.rate = "2/m"
    throttle.num_requests, throttle.duration = throttle.parse_rate("2/m")
    try:
        statuses = [client.get("/api/v1/categories").status_code for _ in range(3)]
        response = client.get("/api/v1/categories")
    finally:
        throttle.rate = rate
        throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    assert statuses == [200, 200, 429]
    assert response.json()["error"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


def test_schema_is_openapi_31_and_the_docs_page_serves_local_files(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"] == "3.1.0"
    assert "/api/v1/events/{slug}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content

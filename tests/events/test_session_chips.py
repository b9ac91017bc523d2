"""The event page: sessions as date chips, one session's tickets at a time (?session=<id>)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Event
from events.sessions import session_chosen
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_with_three_sessions():
    event = EventFactory(status=Event.Status.PUBLISHED)
    sessions = []
    for day, name in ((3, "Первый"), (10, "Второй"), (17, "Третий")):
        session = SessionFactory(event=event, starts_at=timezone.now() + timedelta(days=day))
        TicketTypeFactory(session=session, name_ru=f"Билет {name}", price=Decimal("5000"))
        sessions.append(session)
    return event, sessions


def _panel(page: str) -> str:
    """The tickets part of the page (the JSON-LD in the head lists every session's offers)."""
    return page.split('id="session-panel"', 1)[1]


def _forms(page: str) -> list[str]:
    return [line for line in page.splitlines() if 'name="session" value=' in line]


def test_the_first_session_ahead_is_shown_with_a_chip_per_date(client, event_with_three_sessions):
    event, sessions = event_with_three_sessions
    page = client.get(event.get_absolute_url()).content.decode()
    assert page.count('class="chip session-chip"') == 3
    for session in sessions:
        assert f'href="?session={session.pk}#sessions"' in page
    assert "Билет Первый" in _panel(page)
    assert "Билет Второй" not in page.split("</head>")[1]
    assert "Билет Третий" not in page.split("</head>")[1]
    assert _forms(page) == [f'  <input type="hidden" name="session" value="{sessions[0].pk}">']
    assert page.count('aria-current="true"') == 1


def test_a_chip_link_shows_that_session_only(client, event_with_three_sessions):
    event, sessions = event_with_three_sessions
    page = client.get(event.get_absolute_url(), {"session": sessions[2].pk}).content.decode()
    assert "Билет Третий" in _panel(page)
    assert "Билет Первый" not in page.split("</head>")[1]
    assert f'value="{sessions[2].pk}"' in "".join(_forms(page))
    current = page.split('aria-current="true"')[0].rsplit("<a ", 1)[1]
    assert f'data-session="{sessions[2].pk}"' in current


@pytest.mark.parametrize("raw", ["abc", "-1", "99999999", "1" * 4400, ""])
def test_a_bad_or_foreign_session_falls_back_to_the_next_one(
    client, event_with_three_sessions, raw
):
    event, sessions = event_with_three_sessions
    other = SessionFactory()
    for choice in (raw, str(other.pk)):
        response = client.get(event.get_absolute_url(), {"session": choice})
        assert response.status_code == 200
        assert response.context["chosen_session"] == sessions[0]


def test_a_finished_event_shows_its_last_session():
    event = EventFactory()
    past = [
        SessionFactory(event=event, starts_at=timezone.now() - timedelta(days=d)) for d in (9, 2)
    ]
    assert session_chosen(sorted(past, key=lambda s: s.starts_at), None) == past[1]
    assert session_chosen([], "1") is None


def test_one_session_needs_no_chips(client):
    session = SessionFactory(event=EventFactory(status=Event.Status.PUBLISHED))
    TicketTypeFactory(session=session)
    page = client.get(session.event.get_absolute_url()).content.decode()
    assert "session-chips" not in page
    assert f'value="{session.pk}"' in "".join(_forms(page))


def test_back_from_the_cart_lands_on_the_same_session(event_with_three_sessions):
    _event, sessions = event_with_three_sessions
    url = sessions[1].get_absolute_url()
    assert f"?session={sessions[1].pk}" in url
    assert url.endswith(f"#session-block-{sessions[1].pk}")


@pytest.mark.parametrize(
    ("language", "full", "with_year"),
    [
        ("ru", "18 декабря, пт, 19:00", "18 декабря 2026, пт, 19:00"),
        ("kk", "18 желтоқсан, жм, 19:00", "18 желтоқсан 2026, жм, 19:00"),
        ("en", "Fri 18 Dec, 19:00", "Fri 18 Dec 2026, 19:00"),
    ],
)
def test_session_dates_read_naturally_in_each_language(language, full, with_year):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from events.templatetags.events_pages import when

    moment = datetime(2026, 12, 18, 19, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    with translation.override(language):
        assert when(moment) == full
        assert when(moment, "year") == with_year

"""The catalogue's PostgreSQL full-text search (Russian configuration): word forms match."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.selectors import catalogue
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def _event(**fields):
    fields = {"title_kk": "", "title_en": "", **fields}
    session = SessionFactory(
        event=EventFactory(**fields), starts_at=timezone.now() + timedelta(days=7)
    )
    TicketTypeFactory(session=session)
    return session.event


def test_search_runs_on_postgresql_full_text_with_russian_stemming(client):
    assert connection.vendor == "postgresql"
    concerts = _event(title_ru="Большие концерты органной музыки", description_ru="")
    _event(title_ru="Кукольный театр", description_ru="Для детей")
    # "концерт" and "органная" are other forms of the words in the title: only stemming finds them.
    assert list(catalogue(q="концерт органная")) == [concerts]
    response = client.get(reverse("events:catalogue"), {"q": "концерт"})
    assert [e.pk for e in response.context["events"]] == [concerts.pk]
    sql = str(catalogue(q="концерт").query)
    assert "to_tsvector" in sql
    assert "russian" in sql


def test_title_matches_rank_above_description_matches():
    in_description = _event(title_ru="Вечер", description_ru="Программа: джаз и блюз")
    in_title = _event(title_ru="Джаз в парке", description_ru="Летний вечер")
    assert list(catalogue(q="джаз")) == [in_title, in_description]


def test_kazakh_and_english_titles_are_searched_too():
    event = _event(title_ru="Ночь домбры", title_kk="Домбыра түні", title_en="Dombra night")
    assert list(catalogue(q="түні")) == [event]
    assert list(catalogue(q="night")) == [event]

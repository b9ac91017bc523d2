"""Russian by default; Kazakh and English switchable from every page."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_home_is_russian_by_default_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Политика конфиденциальности" in html
    assert ">Войти<" in html


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [("/kk/", "kk", "Құпиялылық саясаты"), ("/en/", "en", "Privacy policy")],
)
def test_home_in_kazakh_and_english(client, prefix, lang, heading):
    html = client.get(prefix).content.decode()
    assert f'<html lang="{lang}">' in html
    assert heading in html


def test_event_titles_follow_the_language(client):
    session = SessionFactory(
        event__title_ru="Концерт", event__title_kk="Концерт kk", event__title_en="Concert"
    )
    slug = session.event.slug
    assert "Concert" in client.get(f"/en/events/{slug}/").content.decode()
    assert "Концерт kk" in client.get(f"/kk/events/{slug}/").content.decode()


def test_every_page_links_itself_in_the_other_languages_and_the_policy(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'href="/kk/accounts/login/" hreflang="kk"' in html
    assert 'href="/en/accounts/login/" hreflang="en"' in html
    assert 'href="/accounts/login/" hreflang="ru"' in html
    assert reverse("privacy:policy") in html


def test_language_links_keep_the_query_string(client):
    html = client.get("/en/events/?city=almaty").content.decode()
    assert 'href="/kk/events/?city=almaty" hreflang="kk"' in html


def test_language_links_are_translated_once_per_page_and_language(client, monkeypatch):
    from eventum.templatetags import language_links

    language_links._switch.cache_clear()
    calls = []
    real = language_links.translate_url

    def counted(path: str, code: str) -> str:
        calls.append((path, code))
        return real(path, code)

    monkeypatch.setattr(language_links, "translate_url", counted)
    for _ in range(3):
        html = client.get("/en/events/?city=astana").content.decode()
        assert 'href="/kk/events/?city=astana" hreflang="kk"' in html
        assert 'aria-current="page" class="active">English' in html
    assert len(calls) == 3  # one per language, the first time only

    russian = client.get("/events/?city=astana").content.decode()
    assert 'href="/en/events/?city=astana" hreflang="en"' in russian
    assert 'aria-current="page" class="active">Русский' in russian
    assert len(calls) == 6


def test_dates_are_shown_in_almaty_time(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = datetime(2027, 3, 22, 14, 0, tzinfo=ZoneInfo("UTC"))  # 19:00 in Almaty
    session = SessionFactory(starts_at=starts)
    with translation.override("ru"):
        html = client.get(f"/events/{session.event.slug}/").content.decode()
    assert "19:00" in html

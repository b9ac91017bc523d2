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


def test_language_switch_redirects_to_the_same_page_in_the_chosen_language(client):
    session = SessionFactory()
    page = f"/events/{session.event.slug}/"
    response = client.post(reverse("set_language"), {"language": "kk", "next": page})
    assert response.status_code == 302
    assert response.url == f"/kk{page}"


def test_every_page_offers_the_language_switch_and_policy_link(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'name="language" value="kk"' in html
    assert 'name="language" value="en"' in html
    assert reverse("privacy:policy") in html


def test_dates_are_shown_in_almaty_time(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = datetime(2027, 3, 22, 14, 0, tzinfo=ZoneInfo("UTC"))  # 19:00 in Almaty
    session = SessionFactory(starts_at=starts)
    with translation.override("ru"):
        html = client.get(f"/events/{session.event.slug}/").content.decode()
    assert "19:00" in html

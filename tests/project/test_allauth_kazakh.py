"""The allauth account pages are shown in Kazakh from the project's own catalogue.

allauth has no Kazakh catalogue, and Django falls back to LANGUAGE_CODE (Russian) for a
missing message, so every check also makes sure the text is not the Russian fallback.
"""

import re

import pytest
from django.utils.translation import gettext, ngettext, override

pytestmark = pytest.mark.django_db

# (page, heading msgid, further msgids the page renders)
PAGES = [
    (
        "/kk/accounts/login/",
        "Sign In",
        [
            "If you have not created an account yet, then please "
            "%(link)ssign up%(end_link)s first.",
        ],
    ),
    (
        "/kk/accounts/signup/",
        "Sign Up",
        [
            "Already have an account? Then please %(link)ssign in%(end_link)s.",
            "Password (again)",
        ],
    ),
    (
        "/kk/accounts/password/reset/",
        "Password Reset",
        [
            "Forgotten your password? Enter your email address below, and we'll send you an "
            "email allowing you to reset it.",
            "Reset My Password",
        ],
    ),
]


def _translated(msgid: str, language: str) -> str:
    with override(language):
        return gettext(msgid)


def _kazakh(msgid: str) -> str:
    text = _translated(msgid, "kk")
    assert text != msgid, f"no Kazakh translation for {msgid!r}"
    assert text != _translated(msgid, "ru"), f"{msgid!r} falls back to Russian in Kazakh"
    return text


def _visible_part(text: str) -> str:
    """The translated text up to its first placeholder (links are filled in by the template)."""
    return text.split("%(")[0].strip() or text


@pytest.mark.parametrize(("url", "heading", "msgids"), PAGES, ids=[page[0] for page in PAGES])
def test_account_page_is_in_kazakh(client, url, heading, msgids):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="kk">' in html

    kazakh_heading = _kazakh(heading)
    assert re.search(rf"<h1[^>]*>\s*{re.escape(kazakh_heading)}\s*</h1>", html), (
        f"heading {kazakh_heading!r} not found on {url}"
    )
    assert heading not in html, f"English {heading!r} still shown on {url}"
    russian_heading = _translated(heading, "ru")
    assert not re.search(rf"<h1[^>]*>\s*{re.escape(russian_heading)}\s*</h1>", html), (
        f"Russian {russian_heading!r} shown on {url}"
    )
    for msgid in msgids:
        assert _visible_part(_kazakh(msgid)) in html, f"{msgid!r} is not in Kazakh on {url}"
        assert _visible_part(msgid) not in html
        assert _visible_part(_translated(msgid, "ru")) not in html


def test_kazakh_plural_forms_are_used():
    with override("kk"):
        one = ngettext(
            "You have added %(count)s security key.", "You have added %(count)s security keys.", 1
        )
        many = ngettext(
            "You have added %(count)s security key.", "You have added %(count)s security keys.", 5
        )
    assert "қауіпсіздік кілтін" in one % {"count": 1}
    assert "қауіпсіздік кілтін" in many % {"count": 5}


def test_russian_pages_still_use_allauths_russian_catalogue(client):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r"<h1[^>]*>\s*Войти\s*</h1>", html)

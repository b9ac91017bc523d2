"""The cookie banner and the privacy footer of every page: their markup is rendered once per
language and choice (or operator record), and each visitor still gets their own form."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from privacy.models import Operator
from privacy.services import operator_save
from privacy.templatetags import privacy_layout
from tests.privacy.test_operator import _saved_operator

pytestmark = pytest.mark.django_db

TOKEN = re.compile(
    r'<form method="post" action="[^"]*cookie[^"]*"[^>]*><input type="hidden" '
    r'name="csrfmiddlewaretoken" value="([^"]+)">'
)


def _banner_form(html: str) -> tuple[str, str]:
    token = TOKEN.search(html)
    assert token, "the banner's form carries a CSRF token"
    next_value = re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)
    assert next_value
    return token.group(1), next_value.group(1)


def test_each_visitor_posts_the_banner_with_their_own_token_back_to_their_page(client):
    from django.test import Client

    privacy_layout._banner.cache_clear()
    page = "/events/?city=almaty&q=<b>"
    first = client.get(page).content.decode()
    other = Client(enforce_csrf_checks=True)
    second = other.get(page).content.decode()
    assert privacy_layout._banner.cache_info().hits >= 1  # the second page reused the markup
    (token_a, next_a), (token_b, next_b) = _banner_form(first), _banner_form(second)
    assert "__eventum" not in first + second
    assert next_a == next_b == "/events/?city=almaty&amp;q=%3Cb%3E"
    assert token_a != token_b
    # the token in the kept markup is the visitor's: the banner's form is accepted
    response = other.post(
        reverse("privacy:cookie_settings"),
        {"csrfmiddlewaretoken": token_b, "choice": "reject_all", "next": "/events/"},
    )
    assert response.status_code == 302 and response["Location"] == "/events/"
    # the choice made: the banner is kept hidden, its boxes as chosen
    hidden = 'id="cookie-banner" class="cookie-banner" aria-labelledby="cookie-banner-title" hidden'
    assert hidden in other.get(page).content.decode()
    assert hidden not in client.get(page).content.decode()


def test_the_banner_speaks_the_pages_language(client):
    privacy_layout._banner.cache_clear()
    russian = client.get("/events/").content.decode()
    kazakh = client.get("/kk/events/").content.decode()
    english = client.get("/en/events/").content.decode()
    for code, html in (("ru", russian), ("kk", kazakh), ("en", english)):
        with translation.override(code):
            assert f'action="{reverse("privacy:cookie_settings")}"' in html, code
    allow = "Allow all cookies"
    assert allow in english and allow not in russian and allow not in kazakh
    assert "Разрешить все cookies" in russian


def test_the_footer_names_the_operator_as_saved_now(client):
    _saved_operator()
    html = client.get("/events/").content.decode()
    assert "ТОО «Ивентум Казахстан»" in html and "210140001232" in html
    assert "Eventum Kazakhstan LLP" in client.get("/en/events/").content.decode()
    operator = Operator.objects.get()
    operator.name_ru = "ТОО «Новое имя»"
    operator.privacy_email = "dpo@eventum.one"
    operator_save(operator=operator, by=None)
    html = client.get("/events/").content.decode()
    assert "ТОО «Новое имя»" in html and "ТОО «Ивентум Казахстан»" not in html
    assert 'href="mailto:dpo@eventum.one"' in html

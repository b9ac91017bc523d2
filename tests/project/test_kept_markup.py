"""Kept markup: the token of the visitor it was rendered for never reaches another visitor."""

from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.template import Context, Template
from django.test import RequestFactory

from eventum.kept_markup import (
    CSRF_STAND_IN,
    stand_in_context,
    token_taken_out,
    with_visitor_token,
)


def _request():
    return RequestFactory().get("/")


def test_a_rendered_token_is_taken_out_of_every_form():
    html = (
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="tokenOfVisitorA"></form>'
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="tokenOfVisitorA"></form>'
        '<p>value="tokenOfVisitorA" outside a form field stays text</p>'
    )
    kept = token_taken_out(html)
    assert kept.count(CSRF_STAND_IN) == 2
    assert kept.count("tokenOfVisitorA") == 1


def test_each_visitor_gets_their_own_token_in_every_place():
    kept = f'<input value="{CSRF_STAND_IN}"><input value="{CSRF_STAND_IN}">'
    first, second = _request(), _request()
    mine, theirs = with_visitor_token(kept, first), with_visitor_token(kept, second)
    assert CSRF_STAND_IN not in mine and CSRF_STAND_IN not in theirs
    assert mine != theirs
    token = mine.split('"')[1]
    assert len(token) == CSRF_TOKEN_LENGTH and mine.count(token) == 2


def test_markup_without_a_form_asks_for_no_token():
    request = _request()
    assert with_visitor_token("<p>no form</p>", request) == "<p>no form</p>"
    assert "CSRF_COOKIE" not in request.META  # no token made, so no cookie set for it


def test_rendering_with_the_stand_in_context_writes_the_stand_in():
    html = Template("{% csrf_token %}").render(Context(stand_in_context()))
    assert CSRF_STAND_IN in html
    assert with_visitor_token(html, None) == html.replace(CSRF_STAND_IN, "")

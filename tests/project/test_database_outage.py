"""A database outage is answered with a translated 503 page and Retry-After, never a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import path

# Middleware on the way (sessions, consent banner) may read the database when its cache is cold.
pytestmark = pytest.mark.django_db


def _down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def _gone(request):
    raise InterfaceError("connection already closed")


def _broken(request):
    raise ValueError("a bug, not an outage")


def _fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("down/", _down),
    path("gone/", _gone),
    path("broken/", _broken),
    path("fine/", _fine),
]
handler500 = "eventum.database_outage.server_error"


@pytest.fixture
def outage_client(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Сайт ненадолго недоступен"),
        ("kk", "Сайт біраз уақытқа қолжетімсіз"),
        ("en", "The site is briefly unavailable"),
    ],
)
def test_a_database_error_in_a_view_is_a_503_page_in_the_readers_language(
    outage_client, language, text
):
    response = outage_client.get("/down/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert text in body
    assert 'data-testid="service-unavailable"' in body
    assert "<script" not in body and "style=" not in body


def test_a_lost_connection_is_a_503_too(outage_client):
    response = outage_client.get("/gone/")
    assert response.status_code == 503


def test_without_the_middleware_the_error_handler_still_answers_503(outage_client, settings):
    settings.MIDDLEWARE = [
        m
        for m in settings.MIDDLEWARE
        if m != "eventum.database_outage.DatabaseUnavailableMiddleware"
    ]
    response = outage_client.get("/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_other_errors_stay_500(outage_client):
    assert outage_client.get("/broken/").status_code == 500
    assert outage_client.get("/fine/").status_code == 200

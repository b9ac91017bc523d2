import pytest

from tests.factories import UserFactory

VALID_PROFILE = {
    "public_name": "Степь Концерт",
    "description": "Концерты под открытым небом.",
    "kind": "too",
    "legal_name": "ТОО «Степь Концерт»",
    "bin_iin": "1802 4002 1341",
    "legal_address": "г. Алматы, пр. Абая, 10",
    "iban": "kz86 125K ZT50 0410 0100",
    "bank_name": "АО «Банк ЦентрКредит»",
    "bik": "KCJBKZKX",
    "contact_person": "Айгерим Садыкова",
    "phone": "8 (701) 123-45-67",
    "email": "hello@step-concert.kz",
}


@pytest.fixture
def valid_profile() -> dict:
    return dict(VALID_PROFILE)


@pytest.fixture
def user_client(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture(autouse=True)
def _default_language():
    """Start each test in Russian: a request to /kk/ or /en/ leaves its language active in the
    thread, and URLs reversed afterwards would carry that prefix."""
    from django.utils import translation

    translation.activate("ru")
    yield
    translation.deactivate()

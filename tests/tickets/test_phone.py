"""The buyer's phone at checkout: cleaned by privacy's one normaliser, junk refused in words."""

import pytest
from django.utils import translation

from tickets.forms import CheckoutForm


def _phone_form(phone: str) -> CheckoutForm:
    form = CheckoutForm(
        data={
            "surname": "Иванова",
            "name": "Айгерим",
            "phone": phone,
            "email": "aigerim@example.kz",
            "consent_processing": "on",
            "idempotency_key": "k" * 24,
        }
    )
    form.is_valid()
    return form


@pytest.mark.parametrize(
    "raw",
    [
        "+7 701 123 45 67",
        "8 (701) 123-45-67",
        "87011234567",
        "7011234567",
        "+7(701)1234567",
        "+7 (701) 123-45-67",
    ],
)
def test_kazakh_numbers_are_stored_in_e164(raw):
    form = _phone_form(raw)
    assert "phone" not in form.errors
    assert form.buyer().phone == "+77011234567"


def test_a_foreign_number_keeps_its_country():
    form = _phone_form("+44 20 7946 0958")
    assert "phone" not in form.errors
    assert form.buyer().phone == "+442079460958"


@pytest.mark.parametrize(
    "raw", ["", "12345", "+7 701 123 45 6", "abc7011234567", "+7 701 123 45 67 доб. 5"]
)
def test_other_input_is_refused(raw):
    assert "phone" in _phone_form(raw).errors


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Это не похоже на номер телефона"),
        ("kk", "Бұл телефон нөміріне ұқсамайды"),
        ("en", "This is not a phone number we can use"),
    ],
)
def test_the_error_says_how_to_type_it_in_the_visitors_language(language, expected):
    with translation.override(language):
        errors = _phone_form("8 701 123").errors["phone"]
        assert expected in errors[0]
        assert "+7 701 123 45 67" in errors[0]

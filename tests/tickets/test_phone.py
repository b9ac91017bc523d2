import pytest
from django.core.exceptions import ValidationError

from tickets.phone import phone_normalise


@pytest.mark.parametrize(
    "raw",
    ["+7 701 123 45 67", "8 (701) 123-45-67", "87011234567", "7011234567", "+7(701)1234567"],
)
def test_kazakh_numbers_are_normalised(raw):
    assert phone_normalise(raw) == "+77011234567"


@pytest.mark.parametrize(
    "raw", ["", "12345", "+1 701 123 45 67", "+7 701 123 45 6", "abc7011234567"]
)
def test_other_input_is_refused(raw):
    with pytest.raises(ValidationError):
        phone_normalise(raw)

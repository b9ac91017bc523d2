"""БИН/ИИН check digits, KZ IBAN checksum and БИК (phones: tests/privacy/test_identity.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organizers.validators import (
    bin_iin_check_digit,
    validate_bic,
    validate_bin_iin,
    validate_bin_iin_for_kind,
    validate_iban_kz,
)

VALID_BIN = "180240021341"  # LLP registered 02.2018
VALID_IIN = "850315300158"  # born 15.03.1985


@pytest.mark.parametrize("number", [VALID_BIN, VALID_IIN, "200140011228", "901201401236"])
def test_numbers_with_matching_check_digit_pass(number):
    validate_bin_iin(number)


@pytest.mark.parametrize("number", ["180240021346", "850315300150", "200140011220"])
def test_a_wrong_check_digit_is_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_bin_iin(number)
    assert error.value.code == "bin_iin_checksum"


@pytest.mark.parametrize("number", ["12345678901", "1234567890123", "12345678901a", ""])
def test_not_twelve_digits_is_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_bin_iin(number)
    assert error.value.code == "bin_iin_format"


def test_second_weights_are_used_when_the_first_pass_gives_ten():
    # 1*0+2*0+...: pick a prefix whose first-pass sum mod 11 is 10.
    prefix = next(
        f"{n:011d}"
        for n in range(10**10, 10**10 + 5000)
        if sum(int(d) * w for d, w in zip(f"{n:011d}", range(1, 12), strict=True)) % 11 == 10
    )
    second = (
        sum(int(d) * w for d, w in zip(prefix, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True))
        % 11
    )
    assert bin_iin_check_digit(prefix) == (None if second == 10 else second)


def test_llp_needs_a_bin_and_individual_an_iin():
    validate_bin_iin_for_kind(VALID_BIN, "too")
    validate_bin_iin_for_kind(VALID_IIN, "individual")
    validate_bin_iin_for_kind(VALID_IIN, "ip")
    with pytest.raises(ValidationError) as error:
        validate_bin_iin_for_kind(VALID_IIN, "too")
    assert error.value.code == "bin_expected"
    with pytest.raises(ValidationError) as error:
        validate_bin_iin_for_kind(VALID_BIN, "individual")
    assert error.value.code == "iin_expected"


def test_iban_checksum():
    validate_iban_kz("KZ86125KZT5004100100")
    validate_iban_kz("kz86 125K ZT50 0410 0100")
    for bad, code in [
        ("KZ87125KZT5004100100", "iban_checksum"),
        ("DE89370400440532013000", "iban_country"),
        ("KZ86125KZT500410010", "iban_format"),
    ]:
        with pytest.raises(ValidationError) as error:
            validate_iban_kz(bad)
        assert error.value.code == code


def test_bic_format():
    validate_bic("KCJBKZKX")
    validate_bic("HSBKKZKXXXX")
    with pytest.raises(ValidationError):
        validate_bic("KCJBRUMM")


def test_messages_are_translated():
    with translation.override("ru"):
        with pytest.raises(ValidationError) as error:
            validate_bin_iin("180240021346")
        assert "контрольн" in str(error.value.messages[0])

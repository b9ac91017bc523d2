"""Whole numbers from visitors' input: what counts as one."""

import pytest

from eventum.numbers import whole_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), ("0", 0), ("000123", 123), (42, 42), ("9" * 18, int("9" * 18))],
)
def test_plain_digits_are_numbers(raw, expected):
    assert whole_number(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, "", " 1", "-1", "1.0", "²", "٣", "0x1", "1\x00", "9" * 19, "0" * 4400]
)
def test_anything_else_is_none_never_an_error(raw):
    assert whole_number(raw) is None


def test_a_field_can_be_shorter():
    assert whole_number("1000000", max_digits=6) is None
    assert whole_number("999999", max_digits=6) == 999999

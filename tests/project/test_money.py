from decimal import Decimal

import pytest
from django.template import engines

from eventum.money import format_kzt


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("12500"), "12\u00a0500\u00a0₸"),
        (Decimal("0"), "0\u00a0₸"),
        (Decimal("999"), "999\u00a0₸"),
        (Decimal("1250000.50"), "1\u00a0250\u00a0000,50\u00a0₸"),
        ("7000.00", "7\u00a0000\u00a0₸"),
        (Decimal("-1500"), "-1\u00a0500\u00a0₸"),
        (Decimal("0.005"), "0,01\u00a0₸"),
    ],
)
def test_kzt_is_written_as_in_kazakhstan(amount, expected):
    assert format_kzt(amount) == expected


def test_kzt_of_nothing_is_empty():
    assert format_kzt(None) == ""


def test_kzt_filter_is_available_in_every_template():
    template = engines["django"].from_string("{{ price|kzt }}")
    assert template.render({"price": Decimal("12500")}) == "12\u00a0500\u00a0₸"

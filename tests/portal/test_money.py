from decimal import Decimal

import pytest
from django.utils.translation import override

from portal.money import format_kroner, format_number


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("da", Decimal("522000"), "522.000 kr."),
        ("da", Decimal("1234.5"), "1.234,50 kr."),
        ("da", Decimal("0"), "0 kr."),
        ("da", Decimal("-65000"), "-65.000 kr."),
        ("en", Decimal("522000"), "DKK 522,000"),
        ("en", Decimal("1234.5"), "DKK 1,234.50"),
        ("en", Decimal("999.995"), "DKK 1,000"),
    ],
)
def test_kroner_are_written_the_way_each_language_reads_them(language, amount, expected):
    with override(language):
        assert format_kroner(amount) == expected.replace(" ", "\u00a0")


def test_numbers_are_grouped_by_thousands():
    with override("da"):
        assert format_number(1_000_000) == "1.000.000"
        assert format_number(999) == "999"
    with override("en"):
        assert format_number(37_437) == "37,437"

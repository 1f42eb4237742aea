from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.utils.translation import override

from portal.money import format_money, format_number, format_percent, separators


@pytest.mark.parametrize(
    ("currency", "language", "amount", "expected"),
    [
        ("DKK", "da", Decimal("522000"), "522.000 kr."),
        ("DKK", "da", Decimal("1234.5"), "1.234,50 kr."),
        ("DKK", "da", Decimal("0"), "0 kr."),
        ("DKK", "da", Decimal("-65000"), "-65.000 kr."),
        ("DKK", "en", Decimal("522000"), "DKK 522,000"),
        ("DKK", "en", Decimal("1234.5"), "DKK 1,234.50"),
        ("DKK", "en", Decimal("999.995"), "DKK 1,000"),
        ("DKK", "en", Decimal("-65000"), "-DKK 65,000"),
        ("EUR", "de", Decimal("522000"), "522.000 €"),
        ("EUR", "de", Decimal("1234.5"), "1.234,50 €"),
        ("EUR", "en", Decimal("522000"), "€522,000"),
        ("SEK", "da", Decimal("1500"), "1.500 SEK"),
        ("SEK", "de", Decimal("1500"), "1.500 SEK"),
    ],
)
def test_money_is_written_the_way_each_language_reads_its_currency(
    currency, language, amount, expected, municipality
):
    municipality.currency = currency  # the active municipality's (portal.municipalities)
    with override(language):
        assert format_money(amount) == expected.replace(" ", "\u00a0")


def test_numbers_are_grouped_by_thousands():
    with override("da"):
        assert format_number(1_000_000) == "1.000.000"
        assert format_number(999) == "999"
        assert format_number(Decimal("2.5"), 2) == "2,50"
    with override("en"):
        assert format_number(37_437) == "37,437"
    with override("de"):
        assert format_number(37_437) == "37.437"
        assert separators() == (".", ",")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "50.0%"), ("da", "50,0\u00a0%"), ("de", "50,0\u00a0%"), ("sv", "50,0\u00a0%")],
)
def test_a_share_is_written_with_each_language_s_percent_sign(language, expected):
    """English writes the sign against the number, Danish and German after a space that
    never breaks the line between them."""
    with override(language):
        assert format_percent(Decimal("50")) == expected
        assert format_percent(Decimal("-0.01")) == expected.replace("50", "0")


@pytest.mark.parametrize("language", ["da", "en", "de", "hi"])
def test_a_number_that_rounds_to_zero_is_written_without_a_minus(language):
    """A small refund's cost per participant (-0.4 kroner) is 0, not "-0"."""
    with override(language):
        assert format_number(Decimal("-0.4")) == "0"
        assert format_number(Decimal("-0.004"), 2) in ("0,00", "0.00")
        assert format_number(Decimal("-0.6")) == "-1"


def test_a_currency_that_is_no_iso_code_stops_the_portal_at_its_checks():
    with override_settings(PORTAL_CURRENCY="KRONER"), pytest.raises(SystemCheckError) as error:
        call_command("check")
    assert "CURRENCY" in str(error.value)

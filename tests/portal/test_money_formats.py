"""Numbers in downloads: the fast path for languages that group digits in threes writes
exactly what Babel's CLDR pattern writes."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.utils import translation

from portal import money

VALUES = [Decimal("-1234567.505"), Decimal("999.995"), Decimal("-0.004"), 0, 12, 10**12]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("decimals", [0, 2])
def test_every_language_writes_numbers_as_its_cldr_pattern_does(language, decimals):
    with translation.override(language):
        for value in VALUES:
            amount = Decimal(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
            amount = amount or abs(amount)  # what rounds to zero is 0, never Babel's "-0"
            cldr = money._number_pattern(language, decimals).apply(amount, money._locale(language))
            assert money.format_number(value, decimals) == cldr


def test_a_language_that_groups_otherwise_is_written_by_babel():
    with translation.override("hi"):  # lakh grouping: 12,34,567.00
        assert money.format_number(1234567, 2) == "12,34,567.00"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("code", ["DKK", "EUR", "SEK", "CHF", "GBP", "USD", "PLN", "JPY"])
def test_every_language_writes_amounts_as_its_cldr_currency_pattern_does(
    language, code, municipality
):
    """Pages show hundreds of amounts: the pattern's text around Python's number."""
    municipality.currency = code  # the active municipality's (portal.municipalities)
    with translation.override(language):
        for value in [*VALUES, Decimal("-0.001"), Decimal("1234.5")]:
            amount = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
            decimals = 0 if amount == amount.to_integral_value() else 2
            amount = amount if amount else abs(amount)  # "0 kr.", where Babel writes "-0 kr."
            expected = money._babel_money(language, code, amount, decimals)
            assert money.format_money(value) == expected, (language, code, value)

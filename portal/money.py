"""Numbers and money shown the way readers of each language expect, in the portal's currency.

The currency is a deployment setting (`PORTAL_CURRENCY`, an ISO 4217 code; README,
"Languages and currency"); Babel's CLDR data knows how each language writes it:
522.000 kr. in Danish and DKK 522,000 in English for a Danish portal, 522.000 € in German
for a euro portal. Whole amounts are written without decimals, others with the currency's.
Money is a Decimal in the portal's currency throughout; this module only formats it.
"""

import copy
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.numbers import (
    get_currency_name,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language, override, to_locale

from portal.municipalities import currency as active_currency
from portal.municipalities import default_language

NO_BREAK_SPACE = "\u00a0"


def currency() -> str:
    """The portal's currency: an ISO 4217 code such as DKK or EUR."""
    return active_currency()


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(to_locale(language))


def _active_locale() -> Locale:
    return _locale(get_language() or default_language())


def separators() -> tuple[str, str]:
    """(thousands, decimal mark) of the active language."""
    locale = _active_locale()
    return get_group_symbol(locale), get_decimal_symbol(locale)


@cache
def _number_pattern(language: str, decimals: int, percent: bool = False):
    """The language's CLDR pattern for a number (or, with `percent`, a share) with exactly
    `decimals` decimals."""
    locale = _locale(language)
    formats = locale.percent_formats if percent else locale.decimal_formats
    pattern = copy.copy(formats[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern


@cache
def _grouped_in_threes(language: str) -> tuple[str, str] | None:
    """(thousands, decimal mark) where the language groups digits in threes with plain
    digits and minus sign, as Python's own format does (da, en, de); else None (Babel)."""
    locale = _locale(language)
    pattern = locale.decimal_formats[None]
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    if pattern.grouping != (3, 3) or symbols.get("minusSign", "-") != "-":
        return None
    return get_group_symbol(locale), get_decimal_symbol(locale)


def format_number(value, decimals: int = 0) -> str:
    """The number as the active language writes it."""
    return number_format(decimals)(value)


def number_format(decimals: int = 0):
    """How the active language writes numbers with `decimals` decimals, as a function of the
    number: a download writes hundreds of thousands of them in one language, so the
    language is looked up once. Languages that group in threes take Python's format with
    their own separators, others Babel's pattern."""
    language = get_language() or default_language()
    step = Decimal(1).scaleb(-decimals)
    if marks := _grouped_in_threes(language):
        separators = {ord(","): marks[0], ord("."): marks[1]}

        def grouped(value) -> str:
            return f"{_rounded(value, step):,.{decimals}f}".translate(separators)

        return grouped
    pattern, locale = _number_pattern(language, decimals), _locale(language)

    def babel(value) -> str:
        return pattern.apply(_rounded(value, step), locale)

    return babel


def format_percent(value, decimals: int = 1) -> str:
    """A share given in percent (50.0 for a half) as the active language writes it: "50.0%"
    in English, "50,0 %" in Danish and German (CLDR's percent pattern, with its space)."""
    language = get_language() or default_language()
    step = Decimal(1).scaleb(-decimals)
    pattern = _number_pattern(language, decimals, percent=True)
    return pattern.apply(_rounded(value, step) / 100, _locale(language))


def _rounded(value, step: Decimal) -> Decimal:
    """The value rounded to `step`; what rounds to zero is zero, never "-0"."""
    amount = Decimal(value).quantize(step, rounding=ROUND_HALF_UP)
    return amount if amount else abs(amount)


def format_money(value) -> str:
    """The amount in the portal's currency as the active language writes it (Babel's CLDR
    pattern), whole amounts without decimals. A page shows hundreds: languages that group
    in threes put Python's formatted number into the pattern's text around it."""
    language = get_language() or default_language()
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 0 if amount == amount.to_integral_value() else 2
    if _grouped_in_threes(language):
        before, after = _money_frame(language, currency(), decimals, amount < 0)
        return before + format_number(abs(amount), decimals) + after
    return _babel_money(language, currency(), amount, decimals)


def _babel_money(language: str, code: str, amount: Decimal, decimals: int) -> str:
    pattern = copy.copy(_locale(language).currency_formats["standard"])
    pattern.frac_prec = (decimals, decimals)
    text = pattern.apply(amount, _locale(language), currency=code, currency_digits=False)
    return _space_between_code_and_digits(text)


# A number that shows every part of a pattern (grouping, decimals) and nothing else.
SAMPLE = Decimal("1234567.89")


@cache
def _money_frame(language: str, code: str, decimals: int, negative: bool) -> tuple[str, str]:
    """What Babel writes before and after the number for this language and currency."""
    sample = SAMPLE.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    with override(language):
        digits = format_number(sample, decimals)
        text = _babel_money(language, code, -sample if negative else sample, decimals)
    before, found, after = text.partition(digits)
    if not found:  # never for the languages _grouped_in_threes admits; tested
        raise ValueError(f"{text!r} does not contain {digits!r}")
    return before, after


def _space_between_code_and_digits(text: str) -> str:
    """CLDR's currency spacing: a code or a symbol ending in a letter that stands right
    before the digits gets a no-break space (DKK 522,000, not DKK522,000)."""
    for index, character in enumerate(text):
        if character.isdigit():
            before = text[:index].rstrip("-\u2212")
            if before and before[-1].isalpha():
                return before + NO_BREAK_SPACE + text[len(before) :]
            return text
    return text


def currency_name() -> str:
    """The currency's name in the active language ('danske kroner', 'euros')."""
    return get_currency_name(currency(), count=2, locale=_active_locale())


def currency_symbol() -> str:
    """The currency as the active language writes it: 'kr.' in Danish, 'DKK' in English."""
    return get_currency_symbol(currency(), locale=_active_locale())


def with_currency(label):
    """A form label that names the portal's currency: 'Beløb (kr.)', 'Betrag (€)'."""
    return format_lazy("{} ({})", label, lazy(currency_symbol, str)())

"""Numbers and money shown the way readers of each language expect.

Danish: 522.000 kr. and 1.234,50 kr.; English: DKK 522,000 and DKK 1,234.50
(with a no-break space before or after the currency).
Money is Decimal kroner throughout; this module only formats it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

SEPARATORS = {"da": (".", ","), "en": (",", ".")}


def separators() -> tuple[str, str]:
    """(thousands, decimal mark) of the active language."""
    return SEPARATORS.get((get_language() or "da")[:2], SEPARATORS["da"])


def format_number(value, decimals: int = 0) -> str:
    thousands, decimal_mark = separators()
    amount = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = thousands.join(groups)
    if fraction:
        text = f"{text}{decimal_mark}{fraction}"
    return sign + text


def format_kroner(value) -> str:
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 0 if amount == amount.to_integral_value() else 2
    number = format_number(amount, decimals)
    # A no-break space keeps the amount and its currency on one line.
    if (get_language() or "da")[:2] == "en":
        return f"DKK\u00a0{number}"
    return f"{number}\u00a0kr."

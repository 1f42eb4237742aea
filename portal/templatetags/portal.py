from django import template

from portal.money import format_kroner, format_number

register = template.Library()


@register.filter
def kroner(value):
    """522000 -> '522.000 kr.' in Danish, 'DKK 522,000' in English; '' for None."""
    if value is None or value == "":
        return ""
    return format_kroner(value)


@register.filter
def number(value):
    """A whole number with the language's thousands separator; '' for None."""
    if value is None or value == "":
        return ""
    return format_number(value)

from django import template
from django.urls import translate_url

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


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """This page's address in another language, query string kept.

    Computed while rendering, when the page's own language is active: Django's
    set_language cannot map /en/... back to the unprefixed Danish address itself.
    """
    return translate_url(context["request"].get_full_path(), language_code)


@register.filter
def subtract(value, other):
    if value is None or other is None:
        return None
    return value - other

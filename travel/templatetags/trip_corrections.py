from django import template

from travel.corrections import described

register = template.Library()


@register.filter
def what_changed(correction) -> list[dict]:
    """A correction's changes, old and new, in the page's language (travel.corrections)."""
    return described(correction.changes)

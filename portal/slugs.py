from django.utils.text import slugify

# Django's slugify drops letters it cannot map to ASCII; these are mapped first.
TRANSLITERATION = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ß": "ss"}
)


def slugify_name(text: str) -> str:
    """'Jens Kjær' -> 'jens-kjaer'."""
    return slugify(text.translate(TRANSLITERATION))

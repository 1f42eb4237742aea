"""One spelling of a word across the portal's Danish (issue 30: "Markér" and "Marker" side by
side on the officer's case page)."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"


def test_danish_says_markér_in_the_imperative_everywhere():
    text = CATALOGUE.read_text(encoding="utf-8")
    translations = "\n".join(re.findall(r'^(?:msgstr(?:\[\d\])? )?"(.*)"$', text, re.M))

    assert re.findall(r"\bmarker\b", translations, re.IGNORECASE) == []
    with translation.override("da"):
        assert gettext("Mark the report received") == "Markér afrapporteringen som modtaget"
        # Django's own form message, shown on the public lists' filters.
        assert gettext(
            "Select a valid choice. That choice is not one of the available choices."
        ).startswith("Markér en gyldig valgmulighed.")

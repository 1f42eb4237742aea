"""Danish first, English and German complete, and a switch between them that works without
JavaScript."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

SHIPPED = [code for code in settings.SHIPPED_LANGUAGES if code != "en"]  # English is the source


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    catalogue = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text(encoding="utf-8")
    entries = [block for block in text.split("\n\n") if "msgid" in block]
    untranslated = [
        block
        for block in entries[1:]  # the first block is the header
        if re.search(r'^msgstr(\[\d\])? ""\n?$', block, re.MULTILINE)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', block, re.MULTILINE)
    ]
    assert untranslated == []
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalogue_is_newer_than_its_source(language):
    catalogue = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    compiled = catalogue.with_suffix(".mo")
    assert compiled.stat().st_size > 0
    assert compiled.stat().st_mtime >= catalogue.stat().st_mtime - 2


def test_danish_is_the_default_and_english_lives_under_en(client, db):
    danish = client.get("/partner-cities/").content.decode()
    english = client.get("/en/partner-cities/").content.decode()

    assert '<html lang="da">' in danish and "<h1>Samarbejdsbyer</h1>" in danish
    assert '<html lang="en">' in english and "<h1>Partner cities</h1>" in english


def _switch(client, page: str):
    """Press the language button on a page, as a browser without JavaScript would."""
    html = client.get(page).content.decode()
    form = re.search(
        r'name="next" value="([^"]*)".*?name="language" value="([^"]*)"', html, re.DOTALL
    )
    return client.post(reverse("set_language"), {"next": form[1], "language": form[2]})


def test_language_switch_keeps_the_page_and_its_filters(client, db):
    response = _switch(client, "/partner-cities/?kind=twin_town")
    assert response["Location"] == "/en/partner-cities/?kind=twin_town"

    response = _switch(client, "/en/networks/")
    assert response["Location"] == "/networks/"
    assert "<h1>Bynetværk</h1>" in client.get(response["Location"]).content.decode()

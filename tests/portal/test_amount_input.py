"""An amount is typed as the reader's language writes it (issue 30: "12.000" in Danish was
refused with a message about decimals). One field, portal.forms.AmountField, on every form
where applicants and staff type money."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from grants.enums import ApplicationState
from grants.models import GrantApplication
from tests.conftest import apply_for
from tests.factories import BudgetLineFactory, BudgetYearFactory, GrantApplicationFactory

pytestmark = pytest.mark.django_db

PREFIX = {"da": "", "en": "/en", "de": "/de"}

# What a reader of each language types for twelve thousand, and for 12,000.50.
TWELVE_THOUSAND = {"da": "12.000", "en": "12,000", "de": "12.000"}
WITH_DECIMALS = {"da": "12.000,50", "en": "12,000.50", "de": "12.000,50"}
# Read one way in the language, another way in the next: refused, never guessed.
AMBIGUOUS = {"da": "12,000", "en": "12.000", "de": "12,000"}
ASKED_FOR = {
    "da": "Skriv beløbet som 12.000,50: “.” mellem tusinder og “,” før decimalerne.",
    "en": "Write the amount as 12,000.50: “,” between thousands and “.” before the decimals.",
    "de": "Geben Sie den Betrag als 12.000,50 ein: „.“ zwischen den Tausendern und „,“ vor den "
    "Dezimalstellen.",
}


@pytest.fixture
def line():
    """This year's youth line, which the default scheme pays from."""
    from django.utils import timezone

    this_year = BudgetYearFactory(year=timezone.localdate().year)
    return BudgetLineFactory(budget_year=this_year, code="INT-UNG", amount=Decimal("150000"))


def form_path(language: str) -> str:
    return f"{PREFIX[language]}/grants/ungdomsrejser/apply/"


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_an_applicant_types_amounts_as_their_language_writes_them(
    client, application_form, language
):
    typed = {
        **application_form,
        "cost_travel": TWELVE_THOUSAND[language],
        "cost_accommodation": WITH_DECIMALS[language],
        "amount_requested": TWELVE_THOUSAND[language],
    }

    apply_for(client, typed, path=form_path(language))

    application = GrantApplication.objects.get()
    assert (
        application.cost_travel,
        application.cost_accommodation,
        application.amount_requested,
    ) == (Decimal("12000"), Decimal("12000.50"), Decimal("12000"))


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_an_amount_that_reads_two_ways_is_refused_with_an_example(
    client, application_form, language
):
    typed = {**application_form, "amount_requested": AMBIGUOUS[language]}

    response = apply_for(client, typed, path=form_path(language))

    page = response.content.decode()
    assert ASKED_FOR[language] in page.replace("&quot;", '"')
    assert f'value="{AMBIGUOUS[language]}"' in page  # what was typed is kept
    assert not GrantApplication.objects.exists()


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_an_officer_grants_an_amount_typed_in_their_language(client, grant_officer, line, language):
    application = GrantApplicationFactory(
        state=ApplicationState.IN_REVIEW, amount_requested=Decimal("12000")
    )
    client.force_login(grant_officer)
    with translation.override(language):
        url = reverse("grants:officer_action", args=[application.pk, "approve"])
    assert url.startswith(PREFIX[language] + "/")

    client.post(url, {"amount": TWELVE_THOUSAND[language], "reason": "", "understood": "on"})

    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (
        ApplicationState.APPROVED,
        Decimal("12000.00"),
    )


def test_an_officer_is_refused_an_amount_that_reads_two_ways(client, grant_officer, line):
    application = GrantApplicationFactory(
        state=ApplicationState.IN_REVIEW, amount_requested=Decimal("12000")
    )
    client.force_login(grant_officer)

    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"amount": "12,000", "reason": "", "understood": "on"},
        follow=True,
    )

    assert ASKED_FOR["da"] in response.content.decode()
    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (ApplicationState.IN_REVIEW, None)

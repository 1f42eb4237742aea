"""A download address keeps its format through the redirect to the current year."""

import pytest

from tests.factories import BudgetLineFactory, BudgetYearFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/follow-up/", "/budget/"])
def test_a_download_address_keeps_its_format_through_the_redirect(client, path):
    year = BudgetYearFactory(year=2026)
    InitiativeFactory(budget_year=year)
    BudgetLineFactory(budget_year=year)
    response = client.get(path, {"format": "csv"}, follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("?format=csv")
    assert response["Content-Type"].startswith("text/csv")


def test_a_new_municipality_gets_answers_not_errors(client):
    response = client.get("/follow-up/")
    assert response.status_code == 200
    assert "Ingen initiativer følges op her endnu" in response.content.decode()
    home = client.get("/").content.decode()
    assert 'id="cities-heading"' not in home and 'id="networks-heading"' not in home

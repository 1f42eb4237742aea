"""Defects an administrator met in the admin (issue 30): each as the administrator sees it."""

import re

from django.urls import reverse
from django.utils import timezone

from tests.factories import BudgetLineFactory, BudgetYearFactory


def link_with_id(page: str, element_id: str) -> str:
    found = re.search(rf'<a href="([^"]+)" id="{element_id}"', page)
    assert found, f"no link #{element_id}"
    return found.group(1).replace("&amp;", "&")


def test_the_front_page_tile_of_this_years_budget_lines_opens_them(client, administrator):
    this_year = timezone.localdate().year
    BudgetLineFactory(budget_year=BudgetYearFactory(year=this_year), code="THIS-YEAR")
    BudgetLineFactory(budget_year=BudgetYearFactory(year=this_year - 1), code="LAST-YEAR")
    client.force_login(administrator)

    front_page = client.get(reverse("staff_dashboard")).content.decode()
    response = client.get(link_with_id(front_page, "count-lines"))

    assert response.status_code == 200
    listed = response.content.decode()
    assert "THIS-YEAR" in listed
    assert "LAST-YEAR" not in listed

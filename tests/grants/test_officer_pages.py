"""The officers' queue and case page."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from grants.models import GrantApplication
from portal.models import AuditEntry
from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    GrantApplicationFactory,
    GrantSchemeFactory,
    PartnerCityFactory,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture
def cases():
    wuxi = GrantSchemeFactory(slug="wuxi", budget_line_code="INT-WUXI")
    prag = PartnerCityFactory(slug="prag-10", name="Prag 10")
    return {
        "new": GrantApplicationFactory(state=S.SUBMITTED, applicant_name="Ny Ansøger"),
        "review": GrantApplicationFactory(
            state=S.IN_REVIEW, applicant_name="Under Behandling", partner_city=prag
        ),
        "waiting": GrantApplicationFactory(state=S.INFO_REQUESTED, applicant_name="Venter Svar"),
        "closed": GrantApplicationFactory(state=S.CLOSED, applicant_name="Lukket Sag", scheme=wuxi),
    }


def names(client, **params):
    page = client.get(reverse("grants:queue"), params).context["page"]
    return sorted(application.applicant_name for application in page)


def test_the_queue_opens_on_what_needs_action_and_filters_are_in_the_url(
    client, grant_officer, cases
):
    client.force_login(grant_officer)
    assert names(client) == ["Ny Ansøger", "Under Behandling"]
    assert names(client, state="all") == [
        "Lukket Sag",
        "Ny Ansøger",
        "Under Behandling",
        "Venter Svar",
    ]
    assert names(client, state="all", scheme="wuxi") == ["Lukket Sag"]
    assert names(client, state="all", partner_city="prag-10") == ["Under Behandling"]
    assert names(client, state="info_requested") == ["Venter Svar"]


def test_queue_queries_do_not_grow(client, grant_officer, cases, django_assert_max_num_queries):
    client.force_login(grant_officer)
    # The session is saved on every request (the idle timeout): a fixed cost. The page's
    # facts are read after its rows, for them only (grants.status.queue_facts).
    with django_assert_max_num_queries(19) as few:
        client.get(reverse("grants:queue"), {"state": "all"})
    GrantApplicationFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("grants:queue"), {"state": "all"})


def test_csv_export_needs_a_confirmation_and_follows_the_filters(client, grant_officer, cases):
    client.force_login(grant_officer)
    url = reverse("grants:queue_csv") + "?state=all&scheme=wuxi"
    refused = client.post(url, {})
    assert refused["Location"] == reverse("grants:queue") + "?state=all&scheme=wuxi"

    response = client.post(url, {"confirm": "on"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert [row[4] for row in rows[1:]] == ["Lukket Sag"]
    entry = AuditEntry.objects.get(action="grant.export_csv")
    assert (entry.actor, entry.summary, entry.data["rows"]) == (
        grant_officer,
        "state=all&scheme=wuxi",
        "1",
    )


def test_an_officer_approves_on_the_case_page(client, grant_officer, cases):
    BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year),
        code="INT-UNG",
        amount=150_000,
    )
    application = cases["review"]
    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "Under Behandling" in page and "Bevilg" in page

    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {
            "understood": "on",
            "amount": "9000",
            "reason": "Programmet er kortere",
            "rules": ["purpose"],
        },
    )
    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (S.APPROVED, Decimal("9000.00"))


def test_a_refused_move_is_explained_and_changes_nothing(client, grant_officer, cases):
    application = cases["new"]
    client.force_login(grant_officer)
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "paid"]),
        {"understood": "on"},
        follow=True,
    )
    assert "kan ikke få status “Udbetalt”" in response.content.decode()
    assert GrantApplication.objects.get(pk=application.pk).state == S.SUBMITTED


@pytest.mark.parametrize("persona", ["coordinator", "secretary", "no_role"])
def test_other_staff_cannot_act_on_applications(client, request, persona, cases):
    client.force_login(request.getfixturevalue(persona))
    application = cases["new"]
    response = client.post(reverse("grants:officer_action", args=[application.pk, "review"]))
    assert response.status_code == 403
    assert GrantApplication.objects.get(pk=application.pk).state == S.SUBMITTED


def test_after_a_decision_the_page_says_what_was_done_and_offers_the_next_case(
    client, grant_officer
):
    """It never jumps silently: the officer stays on the case they acted on, which says what
    was done to it and links the next case that needs them, or the queue when none does."""
    BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year),
        code="INT-UNG",
        amount=Decimal("150000"),
    )
    first = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("5000"))
    second = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    response = client.post(
        reverse("grants:officer_action", args=[first.pk, "approve"]),
        {"understood": "on", "amount": "5000"},
    )
    assert response["Location"] == reverse("grants:officer_case", args=[first.pk])
    page = client.get(response["Location"])
    assert page.context["next_case"] == second
    assert f'href="{reverse("grants:officer_case", args=[second.pk])}"' in page.content.decode()
    # The approved case still needs paying; once it is paid and the other rejected, no case
    # needs the officer: the page says so and links the queue.
    client.post(
        reverse("grants:officer_action", args=[first.pk, "paid"]),
        {"reference": "FIN-7", "understood": "on"},
    )
    response = client.post(
        reverse("grants:officer_action", args=[second.pk, "reject"]),
        {"understood": "on", "reason": "Uden for puljens formål", "rules": ["purpose"]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("grants:officer_case", args=[second.pk])
    assert "Ingen andre sager venter på dig nu." in response.content.decode()
    assert f'href="{reverse("grants:queue")}"' in response.content.decode()

"""A stored code the choices no longer have is shown as "other (code)" wherever the apps
turn a code into words (portal.choices.label_of), never a 500. The exchanges and partner
cities: tests/partnerships/test_unknown_codes.py."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from budgets.enums import CommitmentSource
from budgets.models import Commitment
from budgets.services import book_commitment
from grants import workflow
from grants.models import GrantScheme
from partnerships.enums import ExchangeKind
from partnerships.models import Exchange
from portal.choices import label_of
from tests.factories import BudgetLineFactory, GrantSchemeFactory


def test_a_known_code_gives_its_label_in_the_readers_language():
    with override("da"):
        assert str(label_of(ExchangeKind, "pupil_exchange")) == "Elevudveksling"
    with override("de"):
        assert str(label_of(ExchangeKind, "pupil_exchange")) == "Schüleraustausch"
    field = Exchange._meta.get_field("kind")
    with override("en"):
        assert str(label_of(field, "pupil_exchange")) == "Pupil exchange"
        assert str(label_of(ExchangeKind.choices, "pupil_exchange")) == "Pupil exchange"


def test_an_unknown_code_is_shown_as_other_and_an_empty_one_as_nothing():
    shown = label_of(ExchangeKind, "staff_visit")
    with override("da"):
        assert str(shown) == "andet (staff_visit)"
    with override("en"):
        assert str(shown) == "other (staff_visit)"
    with override("de"):
        assert str(shown) == "Sonstiges (staff_visit)"
    assert (label_of(ExchangeKind, ""), label_of(ExchangeKind, None)) == ("", "")


@pytest.mark.django_db
def test_a_budget_line_shows_an_entry_of_an_unknown_source(client):
    line = BudgetLineFactory(amount=Decimal("50000"))
    entry = book_commitment(
        line=line,
        amount=1200,
        description="Gebyr",
        source=CommitmentSource.MANUAL,
        manual_cause="services",
        actor=None,
        reason="Bankgebyr",
    )
    Commitment.objects.filter(pk=entry.pk).update(source="bank_transfer", manual_cause="")
    public = client.get(reverse("budgets:line", args=[line.budget_year.year, line.code]))
    assert "andet (bank_transfer)" in public.content.decode()


@pytest.mark.django_db
def test_the_apply_page_names_an_applicant_kind_the_code_no_longer_has(client):
    scheme = GrantSchemeFactory()
    GrantScheme.objects.filter(pk=scheme.pk).update(applicant_kinds=["school", "pensioner"])
    page = client.get(f"/grants/{scheme.slug}/apply/").content.decode()
    assert "Skole" in page and "andet (pensioner)" in page


def test_a_grant_state_the_workflow_does_not_know_has_words():
    with override("en"):
        assert workflow.label("approved") == "Approved"
        assert workflow.label("parked") == "other (parked)"

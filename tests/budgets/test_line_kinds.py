"""Budget-line kinds are records an administrator keeps, not choices in code."""

from django.urls import reverse

from budgets.models import BudgetLine, LineKind
from tests.factories import BudgetLineFactory


def test_a_kind_in_use_cannot_be_deleted_in_the_admin(admin_client):
    line = BudgetLineFactory(kind="committee_travel")
    kind = line.kind
    admin_client.post(reverse("admin:budgets_linekind_delete", args=[kind.pk]), {"post": "yes"})
    assert LineKind.objects.filter(pk=kind.pk).exists()
    assert BudgetLine.objects.get(pk=line.pk).kind.code == "committee_travel"


def test_an_administrator_renames_a_kind_and_makes_another_the_central_budget(admin_client, client):
    line = BudgetLineFactory(kind="study_trip_fund", name_da="Medarbejdernes rejsefond")
    address = reverse("budgets:year", args=[line.budget_year.year])
    page = client.get(address).content.decode()
    assert "Studierejsefond" in page.split('id="other-heading"')[1]

    kind = line.kind
    data = {
        "code": kind.code,
        "name_da": "Medarbejdernes fond",
        "name_en": "Staff fund",
        "name_de": "",
        "is_central": "on",
        "position": 1,
    }
    response = admin_client.post(reverse("admin:budgets_linekind_change", args=[kind.pk]), data)
    assert response.status_code == 302

    page = client.get(address).content.decode()
    central = page.split('id="other-heading"')[0]
    assert "Medarbejdernes rejsefond" in central  # the line now counts as the central budget
    csv = client.get(address, {"format": "csv"})
    assert "Medarbejdernes fond" in csv.getvalue().decode("utf-8-sig")


def test_an_administrator_keeps_the_institutions_and_a_secretary_cannot(
    client, administrator, secretary
):
    from budgets.institutions import ensure_follow_up_rounds

    round_ = ensure_follow_up_rounds()["first"]
    kind = BudgetLineFactory(kind="other").kind
    change = {
        "code": round_.code,
        "name_da": "Forårets opfølgning",
        "name_en": "Spring",
        "position": 1,
    }

    client.force_login(secretary)
    client.post(reverse("admin:budgets_followupround_change", args=[round_.pk]), change)
    client.post(reverse("admin:budgets_linekind_delete", args=[kind.pk]), {"post": "yes"})
    round_.refresh_from_db()
    assert round_.name_da == "1. budgetopfølgning"
    assert LineKind.objects.filter(pk=kind.pk).exists()

    client.force_login(administrator)
    response = client.post(reverse("admin:budgets_followupround_change", args=[round_.pk]), change)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.name_da == "Forårets opfølgning"


def test_a_round_with_milestones_cannot_be_deleted(admin_client):
    from budgets.institutions import ensure_follow_up_rounds
    from budgets.models import FollowUpRound, Milestone
    from tests.factories import InitiativeFactory

    round_ = ensure_follow_up_rounds()["second"]
    Milestone.objects.create(initiative=InitiativeFactory(), round=round_, description="M")
    url = reverse("admin:budgets_followupround_delete", args=[round_.pk])
    admin_client.post(url, {"post": "yes"})
    assert FollowUpRound.objects.filter(pk=round_.pk).exists()
    assert Milestone.objects.filter(round=round_).count() == 1

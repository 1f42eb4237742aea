"""The follow-up in seed 002's format: public page, PDF, round-by-round editing, CSV."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from budgets import followup
from budgets.institutions import ensure_follow_up_rounds
from budgets.models import Initiative, Milestone
from portal.models import AuditEntry
from tests import pdfs
from tests.factories import BudgetYearFactory, CommitteeFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialundervisning():
    """Initiative 3.02 of seed 002, as followed up in 2017."""
    committee = CommitteeFactory(
        slug="bsu",
        name_da="Børne- og Skoleudvalget",
        name_en="Children and Schools Committee",
        name_de="Ausschuss für Kinder und Schulen",
    )
    initiative = InitiativeFactory(
        budget_year=BudgetYearFactory(year=2017),
        number="3.02",
        title="Specialundervisning",
        responsible_centre="Skoler, Institutioner og Kultur",
        responsible_committee=committee,
        main_contributor="Børne- og Ungerådgivning",
        economy_description="Der afsættes 7,8 mio. kr. i 2017.",
        economy_smiley="kept",
    )
    for round_, text, smiley in [
        ("first", "Status forelægges udvalget.", "met"),
        ("second", "Ressourcefordelingsmodel afrapporteres.", "at_risk"),
        ("third", "Opfølgning på effekter.", "not_met"),
        ("year_end", "Løbende opfølgning.", ""),
    ]:
        Milestone.objects.create(
            initiative=initiative,
            round=ensure_follow_up_rounds()[round_],
            description=text,
            smiley=smiley,
            status_text="Processen er forsinket." if smiley == "at_risk" else "",
        )
    return initiative


def test_public_page_shows_milestones_in_round_order_with_smileys_in_words(
    client, specialundervisning
):
    page = client.get(reverse("budgets:follow_up", args=[2017])).content.decode()

    positions = [
        page.index(text)
        for text in (
            "Status forelægges udvalget.",
            "Ressourcefordelingsmodel afrapporteres.",
            "Opfølgning på effekter.",
            "Løbende opfølgning.",
        )
    ]
    assert positions == sorted(positions)
    for words in (
        "Opfyldt",
        "Ikke fuldt opfyldt, men fortsat realistisk",
        "Ikke opfyldt og ikke realistisk",
        "Endnu ikke vurderet",
        "Budget overholdt/besparelse opnået",
        "Processen er forsinket.",
    ):
        assert f">{words}<" in page or words in page
    assert 'aria-hidden="true"' in page  # the drawn face; the words carry the meaning


def test_the_pdf_has_each_initiative_and_its_smileys_as_text(client, specialundervisning):
    response = client.get(reverse("budgets:follow_up_pdf", args=[2017]))
    assert response["Content-Type"] == "application/pdf"

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "3.02 Specialundervisning" in text
    assert "Ansvarligt center" in text and "Skoler, Institutioner og Kultur" in text
    assert "Ikke fuldt opfyldt, men fortsat realistisk" in text
    assert "Ikke opfyldt og ikke realistisk" in text
    assert "Budget overholdt/besparelse opnået" in text


@pytest.mark.parametrize(
    ("prefix", "labels", "committee"),
    [
        (
            "",
            ("Ansvarligt center", "Ansvarligt udvalg", "Væsentlig bidragsyder"),
            "Børne- og Skoleudvalget",
        ),
        (
            "/en",
            ("Responsible centre", "Responsible committee", "Main contributor"),
            "Children and Schools Committee",
        ),
        (
            "/de",
            ("Zuständiger Bereich", "Zuständiger Ausschuss", "Hauptbeteiligte"),
            "Ausschuss für Kinder und Schulen",
        ),
    ],
)
def test_in_the_pdf_each_label_is_on_one_line_beside_its_own_value(
    client, specialundervisning, prefix, labels, committee
):
    """The labels wrapped in a column too narrow ("Ansvarligt / udvalg") and each label
    after the first sat beside the value before its own."""
    content = client.get(prefix + reverse("budgets:follow_up_pdf", args=[2017])).content
    values = [pdfs.beside(content, label) for label in labels]
    assert values == ["Skoler, Institutioner og Kultur", committee, "Børne- og Ungerådgivning"]


def test_follow_up_page_queries_do_not_grow_with_initiatives(
    client, specialundervisning, django_assert_max_num_queries
):
    url = reverse("budgets:follow_up", args=[2017])
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(20):
        initiative = InitiativeFactory(
            budget_year=specialundervisning.budget_year, responsible_committee=CommitteeFactory()
        )
        Milestone.objects.create(
            initiative=initiative, round=ensure_follow_up_rounds()["first"], description=f"M{n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def _export(client, year=2017) -> str:
    return client.get(reverse("budgets:follow_up_csv", args=[year])).getvalue().decode("utf-8-sig")


def _import(client, text: str, year=2017):
    upload = SimpleUploadedFile("follow-up.csv", text.encode("utf-8-sig"), "text/csv")
    return client.post(reverse("budgets:staff_follow_up", args=[year]), {"file": upload})


def _snapshot():
    return sorted(
        Milestone.objects.values_list(
            "initiative__number",
            "initiative__title",
            "round__code",
            "description",
            "smiley",
            "status_text",
        )
    ) + sorted(Initiative.objects.values_list("number", "economy_smiley", "economy_description"))


def test_an_exported_file_imports_back_unchanged(client, secretary, specialundervisning):
    client.force_login(secretary)
    before = _snapshot()
    _import(client, _export(client))
    assert _snapshot() == before


def test_an_edited_file_updates_and_adds(client, secretary, specialundervisning):
    client.force_login(secretary)
    rows = list(csv.DictReader(io.StringIO(_export(client)), delimiter=";"))
    rows[0]["year_end_smiley"] = "met"
    rows.append({**rows[0], "number": "3.03", "title": "Den tidlige indsats"})
    edited = io.StringIO()
    writer = csv.DictWriter(
        edited, fieldnames=followup.columns(followup.round_codes()), delimiter=";"
    )
    writer.writeheader()
    writer.writerows(rows)

    response = _import(client, edited.getvalue())

    assert response.status_code == 302
    assert (
        Milestone.objects.get(initiative=specialundervisning, round__code="year_end").smiley
        == "met"
    )
    assert Initiative.objects.get(number="3.03").milestones.count() == 4
    entry = AuditEntry.objects.get(action="follow_up.import")
    assert (entry.actor, entry.summary) == (secretary, f"2017: 2 ({rows[0]['number']}, 3.03)")


def test_an_import_with_bad_rows_imports_nothing_and_names_the_lines(
    client, secretary, specialundervisning
):
    client.force_login(secretary)
    exported = _export(client)
    header, row = exported.splitlines()[:2]
    good_new = row.replace("Specialundervisning", "Ny indsats")
    bad_smiley = row.replace("Specialundervisning", "Anden indsats").replace(";met;", ";glad;", 1)
    bad_year = row.replace('"2017"', '"1999"', 1).replace("2017;", "1999;", 1)
    before = _snapshot()

    response = _import(client, "\n".join([header, good_new, bad_smiley, bad_year]))

    page = response.content.decode()
    assert "Linje 3: smileyen “glad” er ikke en af met, at_risk, not_met" in page
    assert "Linje 4: året 1999 findes ikke som budgetår i portalen" in page
    assert "Linje 2" not in page
    assert _snapshot() == before


def test_import_refuses_a_file_that_is_not_the_format(client, secretary, specialundervisning):
    client.force_login(secretary)
    page = _import(client, "name,amount\nx,1\n").content.decode()
    assert "Der mangler kolonner: year, number, title" in page


def test_secretary_records_a_round(client, secretary, specialundervisning):
    client.force_login(secretary)
    milestone = Milestone.objects.get(initiative=specialundervisning, round__code="year_end")
    url = reverse("budgets:follow_up_round", args=[2017, "year_end"])
    data = {
        f"m{milestone.pk}-smiley": "met",
        f"m{milestone.pk}-status_text": "Opfølgningen kører.",
        f"e{specialundervisning.pk}-economy_smiley": "not_kept",
        f"e{specialundervisning.pk}-economy_status": "Dyre enkeltsager.",
    }

    bad = client.post(url, {**data, f"m{milestone.pk}-smiley": "glad"})
    assert bad.status_code == 200
    assert 'value="Opfølgningen kører."' in bad.content.decode() or (
        "Opfølgningen kører.</textarea>" in bad.content.decode()
    )
    milestone.refresh_from_db()
    assert milestone.smiley == ""

    client.post(url, data)
    milestone.refresh_from_db()
    specialundervisning.refresh_from_db()
    assert (milestone.smiley, milestone.status_text) == ("met", "Opfølgningen kører.")
    assert (specialundervisning.economy_smiley, specialundervisning.economy_status) == (
        "not_kept",
        "Dyre enkeltsager.",
    )
    entry = AuditEntry.objects.get(action="follow_up.round")
    assert (entry.actor, entry.summary) == (
        secretary,
        f"2017, 31.12.: {specialundervisning.number}",
    )


def test_secretary_creates_an_initiative_with_its_milestones(client, secretary):
    budget_year = BudgetYearFactory(year=2026)
    client.force_login(secretary)
    response = client.post(
        reverse("budgets:initiative_create"),
        {
            "budget_year": budget_year.pk,
            "number": "1.01",
            "title": "Internationale koordinatorer på alle skoler",
            "milestone_first": "Koordinatorer udpeget.",
            "milestone_year_end": "Alle uddannet.",
        },
    )
    assert response["Location"] == reverse("budgets:staff_follow_up", args=[2026])
    initiative = Initiative.objects.get(number="1.01")
    assert AuditEntry.objects.get(action="follow_up.initiative").actor == secretary
    assert sorted(initiative.milestones.values_list("round__code", "description")) == [
        ("first", "Koordinatorer udpeget."),
        ("year_end", "Alle uddannet."),
    ]


def test_the_english_follow_up_marks_the_danish_initiatives(client, specialundervisning):
    english = client.get("/en/follow-up/2017/").content.decode()
    assert "are written in Danish only" in english
    assert f'<h3 id="initiative-{specialundervisning.pk}" lang="da">' in english
    danish = client.get("/follow-up/2017/").content.decode()
    assert 'lang="da">' not in danish.split("<main", 1)[1]

"""The demo file is read whole before anything is written: every problem is named by its
place in the file, a file with one loads nothing, and the command says so without a
traceback."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from budgets.models import Committee
from partnerships.models import WorkingGroup

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "shell" / "demo"
BALLERUP = json.loads((DEMO / "ballerup.json").read_text(encoding="utf-8"))


def _row_counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for app in ("portal", "partnerships", "budgets", "travel", "grants", "auth")
        for model in apps.get_app_config(app).get_models()
    }


def _load(tmp_path, data) -> None:
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_demo", file=path, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _problems(tmp_path, data) -> list[str]:
    """The problems the command names, one a line, after the first line that sums up."""
    before = _row_counts()
    with pytest.raises(CommandError) as refused:
        _load(tmp_path, data)
    assert _row_counts() == before, "nothing is written when the file has a problem"
    first, *problems = str(refused.value).splitlines()
    assert "was not loaded, nothing was written" in first
    return [problem.strip() for problem in problems]


def _without_language(data, code: str):
    """The file as it was before a language was added: no key ends in _<code>."""
    if isinstance(data, dict):
        return {
            key: _without_language(value, code)
            for key, value in data.items()
            if not key.endswith(f"_{code}")
        }
    if isinstance(data, list):
        return [_without_language(value, code) for value in data]
    return data


def test_the_shipped_demo_files_have_no_problem(settings, tmp_path):
    from portal import demo_file
    from portal.contributions import contributions
    from portal.demo_municipality import SECTION, find
    from portal.scoping import municipality
    from shell.management.commands.load_demo import SITE

    sections = [
        SECTION,
        SITE,
        *(section for part in contributions("demo_sections") for section in part),
    ]
    duesseldorf = json.loads((DEMO / "duesseldorf.json").read_text(encoding="utf-8"))
    for data in (BALLERUP, duesseldorf):
        record, problems = find(data, sections)
        assert problems == []
        with municipality(record):  # read in its own languages (German first for Düsseldorf)
            assert demo_file.problems(data, sections) == []


def test_an_older_file_without_the_default_language_names_every_missing_text(settings, tmp_path):
    # A German municipality, and a file from before the demo had German texts.
    data = _without_language(BALLERUP, "de")
    data["municipality"]["default_language"] = "de"
    problems = _problems(tmp_path, data)
    missing = "missing (the text in the default language, de, is required; other languages "
    assert f"budget_years[0].lines[3].name_de: {missing}may be left out and show it instead)" in (
        problems
    )
    assert any(problem.startswith("committees[0].name_de: missing") for problem in problems)
    assert any(
        problem.startswith("networks[0].membership.working_groups[0].name_de: missing")
        for problem in problems
    )
    assert not Committee.objects.exists()


def test_a_missing_translation_falls_back_to_the_default_language(tmp_path):
    data = {
        "committees": [{"slug": "okonomi", "name_da": "Økonomiudvalget"}],  # no en, no de
        "networks": [
            {
                "slug": "edge",
                "name": "Edge Cities Network",
                # A text without a language is the default language's (Danish here).
                "membership": {"role": "member", "working_groups": [{"name": "Sundhed"}]},
            }
        ],
    }
    _load(tmp_path, data)
    committee = Committee.objects.get(slug="okonomi")
    assert (committee.name_da, committee.name_en, committee.name_de) == (
        "Økonomiudvalget",
        None,
        None,
    )
    from django.utils import translation

    with translation.override("de"):
        assert committee.name == "Økonomiudvalget"
        assert committee.name.lang == "da"  # the page marks it as Danish
    assert list(WorkingGroup.objects.values_list("name_da", flat=True)) == ["Sundhed"]


def test_text_in_a_language_the_portal_does_not_offer_is_a_problem(settings, tmp_path):
    data = copy.deepcopy(BALLERUP)
    data["municipality"]["languages"] = "da,en"
    data["focus_areas"][0]["name_fr"] = "Culture"
    problems = _problems(tmp_path, data)
    offered = "it offers da, en (municipality.languages)"
    not_offered = "text in a language the municipality does not offer"
    assert f"committees[0].name_de: {not_offered} (de); {offered}" in problems
    assert f"focus_areas[0].name_fr: {not_offered} (fr); {offered}" in problems
    assert not Committee.objects.exists()


def test_into_an_existing_database_a_broken_file_changes_nothing(tmp_path):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    data = copy.deepcopy(BALLERUP)
    # The KeyError 'name_da' of old: a working group without its Danish name.
    data["networks"][0]["membership"]["working_groups"][0] = {"name_en": "Political forum"}
    data["committees"][0]["name_da"] = "Renamed on the way"
    problems = _problems(tmp_path, data)
    assert problems == [
        "networks[0].membership.working_groups[0].name_da: missing (the text in the default "
        "language, da, is required; other languages may be left out and show it instead)"
    ]
    assert Committee.objects.get(slug="okonomiudvalget").name_da == "Økonomiudvalget"


def test_every_problem_is_named_by_its_place(tmp_path):
    data = {
        "_source": "a note is fine",
        "budgets": [],
        "committees": [{"slug": "okonomi", "name_da": "Økonomiudvalget", "chair": "Jens"}],
        "budget_years": [
            {"year": 2026, "lines": [{"code": "1", "name_da": "Linje", "kind": "nowhere"}]},
            {"year": "next", "lines": "none"},
        ],
        "exchanges": [{"title": "Lejr", "partner_city": "atlantis", "school": "Skolen"}],
        "trips": [
            {
                "slug": "tur",
                "title": "Tur",
                "purpose": "Formål",
                "starts_on": "2026-02-30",
                "ends_on": "2026-03-02",
                "budget_line": [2026],
                "state": "flying",
                "travellers": [["Jens", "politician"]],
            }
        ],
        "grant_schemes": "none",
    }
    assert _problems(tmp_path, data) == [
        "budgets: unknown section (known: budget_years, charters, commitments, committees, "
        "consortia, election_periods, exchanges, focus_areas, follow_up_rounds, "
        "grant_applications, grant_schemes, initiatives, line_kinds, municipality, networks, "
        "partner_cities, schools, site, staff_resources, trips)",
        "committees[0].chair: unknown field",
        "budget_years[0].lines[0].amount: missing",
        "budget_years[0].lines[0].kind: no budget-line kind 'nowhere', neither in the file nor in "
        "the database",
        "budget_years[1].year: 'next' is no whole number",
        "budget_years[1].lines: a list of objects is expected",
        "exchanges[0].partner_city: no partner city 'atlantis', neither in the file nor in "
        "the database",
        "exchanges[0].starts_on: missing",
        "exchanges[0].ends_on: missing",
        "trips[0].starts_on: '2026-02-30' is no date (YYYY-MM-DD)",
        "trips[0].state: 'flying' is none of: draft, published, report_published",
        "trips[0].budget_line: [year, code] is expected",
        "trips[0].travellers[0]: [name, kind, role] is expected",
        "grant_schemes: a list of objects is expected",
    ]


def test_a_mistake_the_check_cannot_see_loads_nothing(tmp_path):
    data = copy.deepcopy(BALLERUP)
    data["commitments"][0]["code"] = "NO-SUCH-LINE"  # a line named by year and code
    before = _row_counts()
    with pytest.raises(CommandError, match="was not loaded, nothing was written: DoesNotExist"):
        _load(tmp_path, data)
    assert _row_counts() == before


def test_the_command_exits_with_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"committees": [{"slug": "x", "name_en": "Finance"}]}))
    result = subprocess.run(  # noqa: S603 - our own command, with a file of the test's
        [sys.executable, "manage.py", "load_demo", "--file", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "committees[0].name_da: missing" in result.stderr
    assert "nothing was written" in result.stderr


def test_a_file_without_line_kinds_may_name_the_defaults_it_gets(tmp_path):
    from budgets.models import BudgetLine, FollowUpRound, LineKind

    LineKind.objects.all().delete()  # as a flushed database has none
    FollowUpRound.objects.all().delete()
    data = {
        "budget_years": [
            {
                "year": 2026,
                "lines": [
                    {"code": "INT", "name_da": "Central", "kind": "central", "amount": "1000"}
                ],
            }
        ],
        "initiatives": [
            {"year": 2026, "number": 1, "title": "Skoler", "milestones": [{"round": "first"}]}
        ],
    }
    _load(tmp_path, data)
    assert BudgetLine.objects.get(code="INT").kind.code == "central"
    assert FollowUpRound.objects.filter(code="first").exists()


def test_the_file_names_its_municipality_and_a_fresh_database_becomes_it(tmp_path, municipality):
    """The first municipality, set up by nobody yet, becomes the file's; loading again
    updates it; a second file makes a municipality of its own."""
    from portal.models import Municipality

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    ballerup = Municipality.objects.get(pk=municipality.pk)
    assert (ballerup.name, ballerup.slug, ballerup.default_language, ballerup.currency) == (
        "Ballerup",
        "ballerup",
        "da",
        "DKK",
    )
    assert list(ballerup.hosts.values_list("host", flat=True)) == ["ballerup.localhost"]
    assert list(ballerup.populations.values_list("year", flat=True)) == [2024, 2025, 2026]
    call_command("load_demo", file=DEMO / "duesseldorf.json", stdout=open(os.devnull, "w"))  # noqa: SIM115
    duesseldorf = Municipality.objects.get(slug="duesseldorf")
    assert duesseldorf.pk != ballerup.pk
    assert (duesseldorf.language_codes, duesseldorf.currency) == (["de", "en"], "EUR")
    # Its rows are its own: the first municipality's committees are Ballerup's alone.
    assert not Committee.objects.filter(slug="rat").exists()
    assert Committee.objects.filter(slug="okonomiudvalget").exists()


def test_a_first_municipality_someone_set_up_is_never_taken_over(tmp_path, municipality):
    from portal.models import Municipality, MunicipalityHost

    MunicipalityHost.objects.create(municipality=municipality, host="kommune.example")
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Municipality.objects.get(pk=municipality.pk).name == "Kommune"
    assert Municipality.objects.get(slug="ballerup").pk != municipality.pk
    assert not Committee.objects.exists()  # the test runs in the first municipality


def test_the_municipality_part_is_checked_with_the_rest(tmp_path, municipality, settings):
    from portal.models import Municipality, MunicipalityHost
    from tests.factories import UserFactory

    settings.DEBUG = True
    other = Municipality.objects.create(
        name="Anderswo", slug="anderswo", languages="de", default_language="de", currency="EUR"
    )
    MunicipalityHost.objects.create(municipality=other, host="anderswo.localhost")
    login = UserFactory(username="verwaltung")
    municipality.staff.remove(login)  # made in the test's municipality: only the other's
    other.staff.add(login)
    data = json.loads((DEMO / "duesseldorf.json").read_text(encoding="utf-8"))
    data["municipality"]["currency"] = "XYZ"
    data["municipality"]["hosts"] = ["anderswo.localhost", "http://x/"]
    data["municipality"]["population"][0]["inhabitants"] = -5
    data["municipality"]["logins"][0]["role"] = "Mayor"
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = _row_counts()
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", "--logins", file=path, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _row_counts() == before
    problems = [line.strip() for line in str(refused.value).splitlines()[1:]]
    assert problems == [
        "municipality.population[0].inhabitants: a whole number above 0 is expected",
        "municipality.logins[0].role: 'Mayor' is none of: School coordinator, Grant officer, "
        "Committee secretary, Administrator, Finance clerk",
        "municipality.hosts: a list of host names is expected (without scheme or port)",
        "municipality.currency: Not an ISO 4217 currency code.",
        "municipality.hosts: 'anderswo.localhost' is already Anderswo's",
        "municipality.logins[3].username: 'verwaltung' is another municipality's login "
        "(usernames are shared by all of them)",
    ]

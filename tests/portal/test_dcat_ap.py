"""The data catalogue conforms to DCAT-AP 3.0.1: pySHACL with the official shapes."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import BudgetLineFactory, InitiativeFactory, TripFactory

pytestmark = pytest.mark.django_db
# The shared standards beside the checkout (or where PORTAL_STANDARDS says, for a worktree).
SHARED_STANDARDS = Path(__file__).resolve().parents[3] / "shared" / "standards"
STANDARDS = Path(os.environ.get("PORTAL_STANDARDS", SHARED_STANDARDS)) / "dcat-ap-3.0.1"


def _graph(*files):
    from rdflib import Graph

    graph = Graph()
    for name in files:
        graph.parse(STANDARDS / name, format="turtle")
    return graph


@pytest.mark.skipif(
    not STANDARDS.is_dir(), reason=f"the DCAT-AP 3.0.1 shapes are not at {STANDARDS}"
)
def test_the_catalogue_conforms_to_dcat_ap(client):
    from pyshacl import validate

    conforms, _graph_out, report = validate(
        _catalogue(client), shacl_graph=_graph("shapes.ttl", "range.ttl"), inference="rdfs"
    )
    assert conforms, report


# Every recommended property is carried: the catalogue's and the datasets' dates, the
# country's bounding box and centroid, and a period for every dataset (the portal's whole
# period where its rows carry no dates: the demo's partner cities and networks have no
# years, and its grants no decision from an ended month).
NOT_YET = set()
UNDATED_IN_THE_DEMO = set()


@pytest.mark.skipif(
    not STANDARDS.is_dir(), reason=f"the DCAT-AP 3.0.1 shapes are not at {STANDARDS}"
)
def test_the_catalogue_carries_the_recommended_properties(client):
    import re

    from pyshacl import validate

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    _conforms, _graph_out, report = validate(
        _catalogue(client),
        shacl_graph=_graph("shapes_recommended.ttl"),
        inference="rdfs",
        allow_warnings=True,
    )
    missing = set(re.findall(r"Result Path: (\S+)", report))
    assert missing <= NOT_YET, report
    for carried in ("dcat:contactPoint", "dcat:keyword", "dcat:theme", "dct:spatial"):
        assert carried not in missing
    without_period = set(re.findall(r"/data/#([-a-z]+)>->dct:temporal", report))
    assert without_period == UNDATED_IN_THE_DEMO, report


def test_each_dataset_covers_the_period_of_its_own_rows(client):
    TripFactory(starts_on="2023-04-02", ends_on="2023-04-05")
    TripFactory(starts_on="2025-10-13", ends_on="2025-10-19")
    TripFactory(starts_on="2021-01-01", ends_on="2021-01-02", state="draft", published_at=None)
    BudgetLineFactory(budget_year__year=2024)
    catalogue = json.loads(client.get(reverse("data_catalog")).content)
    periods = {
        entry["dct:identifier"]: entry.get("dct:temporal") for entry in catalogue["dcat:dataset"]
    }
    assert periods["trips"]["dcat:startDate"]["@value"] == "2023-04-02"  # not the draft's
    assert periods["trips"]["dcat:endDate"]["@value"] == "2025-10-19"
    assert periods["budget"]["dcat:startDate"]["@value"] == "2024-01-01"
    assert periods["budget"]["dcat:endDate"]["@value"] == "2024-12-31"
    assert periods["charters"] is None  # no rows, no period


def _catalogue(client):
    from rdflib import Graph

    TripFactory(slug="wuxi-2025")
    BudgetLineFactory(budget_year__year=2025)
    InitiativeFactory(budget_year__year=2025)
    catalogue = client.get(reverse("data_catalog")).content.decode()
    return Graph().parse(data=catalogue, format="json-ld")


def test_the_catalogue_names_the_country_of_the_municipality(client, settings, municipality):
    from django.core.checks import run_checks

    def spatial():
        catalogue = json.loads(client.get(reverse("data_catalog")).content)
        return catalogue["dct:spatial"]

    assert spatial()["@id"].endswith("/country/DNK")
    assert spatial()["dcat:centroid"] == {"@value": "POINT(10.0 56.0)", "@type": "gsp:wktLiteral"}
    municipality.country = "DE"  # a German municipality
    municipality.save()
    assert spatial()["@id"].endswith("/country/DEU")
    # The deployment's settings describe the first municipality a migration makes.
    settings.OPEN_DATA_COUNTRY = ""  # not set: the country of the default language
    settings.LANGUAGE_CODE = "en"  # English names no one country: the portal must say
    (error,) = [e for e in run_checks() if e.id == "portal.E010"]
    assert "OPEN_DATA_COUNTRY is not set" in error.msg
    settings.OPEN_DATA_COUNTRY = "SWE"
    assert not [e for e in run_checks() if e.id == "portal.E010"]
    settings.OPEN_DATA_COUNTRY = "XYZ"
    assert [e.id for e in run_checks() if e.id == "portal.E010"] == ["portal.E010"]


def test_the_catalogue_and_its_datasets_are_dated_by_the_decisions_recorded(client):
    from portal.models import AuditEntry

    catalogue = json.loads(client.get(reverse("data_catalog")).content)
    assert catalogue["dct:issued"]["@type"] == "xsd:date"
    first = AuditEntry.objects.order_by("at").first()
    if first is not None:
        assert catalogue["dct:issued"]["@value"] == first.at.date().isoformat()
    assert {entry["dct:modified"]["@value"] for entry in catalogue["dcat:dataset"]} == {
        catalogue["dct:modified"]["@value"]
    }

"""The grants as 360Giving data: valid against the standard's own schema, no applicant's
personal data or words in it, and exactly the figures the grant statistics publish."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from grants.enums import ApplicationState
from portal.models import SiteSettings
from tests.factories import GrantApplicationFactory, GrantSchemeFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "data" / "threesixtygiving"
LAST_MONTH = datetime.timedelta(days=40)

# What an applicant wrote: none of it may reach the file.
PERSONAL = {
    "applicant_name": "Karoline Østergaard-Bech",
    "applicant_phone": "+45 21 43 65 87",
    "applicant_address": "Hedevænget 17, 2750 Ballerup",
    "organisation": "Spejdergruppen Rødkilde",
    "purpose": "Vi vil besøge vores venner i orkesteret og spille koncert på torvet",
    "other_destination": "Kirchheim unter Teck",
}


def _validator() -> Draft202012Validator:
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    # The files name their dialect by http:, which `referencing` knows by https: say it.
    resource = Resource(contents=grant, specification=DRAFT202012)
    # The package names the grant schema by an older address than the schema's own $id.
    registry = Registry().with_resources(
        [(grant["$id"], resource), (package["properties"]["grants"]["items"]["$ref"], resource)]
    )
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def _grant(scheme, amount, **extra):
    extra.setdefault("decided_at", timezone.now() - LAST_MONTH)
    return GrantApplicationFactory(
        scheme=scheme,
        state=ApplicationState.APPROVED,
        amount_granted=Decimal(amount),
        applicant_kind="young_person",
        partner_city=PartnerCityFactory(name="Brandenburg an der Havel"),
        **PERSONAL,
        **extra,
    )


@pytest.fixture
def granted():
    SiteSettings.objects.update_or_create(pk=1, defaults={"municipality_name": "Ballerup Kommune"})
    big = GrantSchemeFactory(slug="ungdomspuljen", name_da="Ungdomspuljen", name_en="Youth fund")
    small = GrantSchemeFactory(slug="lille-pulje", name_da="Lille pulje", name_en="Small fund")
    for amount in (1000, 2500, 4000):
        _grant(big, amount, applicant_email=f"karo{amount}@example.dk")
    for amount in (3333, 4444):  # fewer than three: the statistics show no figures
        _grant(small, amount, applicant_email=f"lille{amount}@example.dk")
    return big, small


def test_the_file_is_valid_360giving_data(client, granted):
    response = client.get(reverse("grants:statistics_360"))
    assert response["Content-Type"] == "application/json"
    document = response.json()
    errors = sorted(_validator().iter_errors(document), key=str)
    assert [error.message for error in errors] == []
    (grant,) = document["grants"]
    year = (timezone.localdate() - LAST_MONTH).year
    assert grant["id"] == f"360G-ballerup-kommune-ungdomspuljen-{year}"
    assert grant["recipientIndividual"] == {
        "id": f"360G-ballerup-kommune-IND-ungdomspuljen-{year}",
        "name": "Individual Recipient",
    }
    assert (grant["amountAwarded"], grant["currency"]) == (7500, "DKK")
    assert grant["fundingOrganization"] == [
        {"id": "360G-ballerup-kommune-municipality", "name": "Ballerup Kommune"}
    ]
    assert grant["grantProgramme"][0]["code"] == "ungdomspuljen"
    assert grant["grantProgramme"][0]["title"] == "Ungdomspuljen"
    # The municipality, no finer: the district level the standard's guidance allows.
    assert grant["beneficiaryLocation"] == [{"name": "Ballerup Kommune", "countryCode": "DK"}]


def test_the_identifiers_follow_the_settings(client, granted, settings):
    settings.OPEN_DATA_360GIVING_PREFIX = "360G-ballerupkommune"
    settings.OPEN_DATA_ORG_ID = "DK-CVR-12345678"
    document = client.get(reverse("grants:statistics_360")).json()
    (grant,) = document["grants"]
    assert grant["id"].startswith("360G-ballerupkommune-ungdomspuljen-")
    assert grant["recipientIndividual"]["id"].startswith("360G-ballerupkommune-IND-")
    assert grant["fundingOrganization"][0]["id"] == "DK-CVR-12345678"
    assert document["publisher"]["identifier"] == "DK-CVR-12345678"


def test_no_applicant_is_in_the_file(client, granted):
    for language in ("da", "en", "de"):
        text = client.get(f"/{language}/grants/statistics/360giving.json".replace("/da/", "/"))
        body = text.content.decode()
        assert text.status_code == 200
        for field, value in PERSONAL.items():
            assert value not in body, field
        assert "@example.dk" not in body and "Brandenburg" not in body


def test_the_file_publishes_what_the_statistics_publish(client, granted):
    statistics = client.get("/api/grant-statistics/").json()["results"]
    published = {
        (row["scheme"], row["year"], row["trips"], Decimal(row["amount"]))
        for row in statistics
        if not row["suppressed"]
    }
    assert {row["scheme"] for row in statistics if row["suppressed"]} == {"lille-pulje"}
    page = client.get(reverse("grants:statistics")).content.decode()
    assert "færre end 3" in page and "7.500" in page
    document = client.get(reverse("grants:statistics_360")).json()
    in_file = {
        (
            grant["grantProgramme"][0]["code"],
            int(grant["id"].rsplit("-", 1)[1]),
            int(grant["description"].rsplit(" ", 1)[1].rstrip(".")),
            Decimal(str(grant["amountAwarded"])),
        )
        for grant in document["grants"]
    }
    assert (
        in_file
        == published
        == {("ungdomspuljen", (timezone.localdate() - LAST_MONTH).year, 3, Decimal(7500))}
    )
    assert "3333" not in json.dumps(document) and "7777" not in json.dumps(document)


def test_a_grant_decided_this_month_is_not_in_the_file(client, granted):
    big, _small = granted
    _grant(big, 9999, applicant_email="today@example.dk", decided_at=timezone.now())
    (grant,) = client.get(reverse("grants:statistics_360")).json()["grants"]
    assert grant["amountAwarded"] == 7500


def test_before_any_figure_is_published_the_file_says_so(client):
    scheme = GrantSchemeFactory()
    _grant(scheme, 1000, applicant_email="alone@example.dk")  # one: too few to publish
    response = client.get(reverse("grants:statistics_360"))
    assert response.status_code == 404
    data_page = client.get(reverse("data")).content.decode()
    assert reverse("grants:statistics_360") not in data_page


def test_the_data_page_and_the_catalogue_link_the_file(client, granted):
    url = reverse("grants:statistics_360")
    assert url in client.get(reverse("data")).content.decode()
    assert url in client.get(reverse("grants:statistics")).content.decode()
    catalogue = client.get(reverse("data_catalog")).json()
    (statistics,) = [
        entry
        for entry in catalogue["dcat:dataset"]
        if entry["dct:identifier"] == "grant-statistics"
    ]
    (distribution,) = [
        each for each in statistics["dcat:distribution"] if each["dct:title"] == "360Giving"
    ]
    assert distribution["dcat:downloadURL"]["@id"].endswith(url)
    assert (
        distribution["dct:conformsTo"]["@id"] == "https://standard.threesixtygiving.org/en/latest/"
    )

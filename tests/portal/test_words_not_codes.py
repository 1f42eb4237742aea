"""No page or download shows a code where a reader expects words; the JSON keeps its codes."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from grants.enums import ApplicantKind
from partnerships.enums import PartnerCityKind
from portal import opendata

pytestmark = pytest.mark.django_db


def test_the_demos_csv_downloads_and_pages_show_words(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    codes = [*ApplicantKind.values, *PartnerCityKind.values]
    one_of = {"person-trips": ["jens-kjaer"]}
    for dataset in opendata.datasets():
        url = dataset.download_page or reverse(dataset.page, args=one_of.get(dataset.slug, [2026]))
        text = client.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")
        cells = {cell.strip() for line in text.splitlines() for cell in line.split(";")}
        assert not cells & set(codes), dataset.slug
    schemes = client.get(reverse("grants:schemes"), {"format": "csv"}).getvalue().decode()
    assert "Ung under 25" in schemes
    trips = client.get(reverse("travel:list"), {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert "Kina" in trips and ";CN;" not in trips
    data = json.loads(client.get(reverse("grants:schemes"), {"format": "json"}).getvalue())
    kinds = {kind for scheme in data for kind in scheme["applicant_kinds"]}
    assert "young_person" in kinds  # the JSON keeps its stable codes

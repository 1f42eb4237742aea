"""A code in the database that the models no longer have (the benchmark's `staff_visit`
exchanges, a partner city kind from an older version) is shown as "other (code)" on every
page that shows it, never a 500 (`ValueError: 'staff_visit' is not a valid ExchangeKind`
on the partner city page, as found at the benchmark's scale 10)."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils.translation import override

from partnerships.enums import ExchangeStatus
from partnerships.models import Exchange, PartnerCity
from tests.factories import ExchangeFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "staff_visit"
SHOWN = {"da": "andet (staff_visit)", "en": "other (staff_visit)", "de": "Sonstiges (staff_visit)"}


@pytest.fixture
def city():
    """Three exchanges of a kind the model no longer has, written around its validation as
    an old generator or import did; and a fourth of a known kind."""
    city = PartnerCityFactory(name="Wuxi", slug="wuxi")
    for month in (3, 4, 5):
        ExchangeFactory(
            partner_city=city, title=f"Besøg {month}", status=ExchangeStatus.CARRIED_OUT,
            starts_on=datetime.date(2025, month, 1), ends_on=datetime.date(2025, month, 3),
            pupils=0, teachers=0, staff=4,
        )  # fmt: skip
    Exchange.objects.filter(title__startswith="Besøg").update(kind=UNKNOWN)
    ExchangeFactory(partner_city=city, title="Elevudveksling")
    return city


def url_in(language: str, name: str, *args) -> str:
    with override(language):
        return reverse(name, args=args)


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_the_partner_city_page_shows_the_unknown_kind(client, city, language):
    page = client.get(url_in(language, "partnerships:city_detail", "wuxi"))
    (year,) = page.context["activity_years"]
    assert [(row["kind_label"], row["activities"]) for row in year["rows"]][0] == (
        SHOWN[language],
        3,
    )
    assert f'<th scope="row">{SHOWN[language]}</th>' in text(page)


def test_the_exchanges_api_gives_the_stored_code(client, city):
    body = client.get("/api/exchanges/", {"partner_city": "wuxi"}).json()
    assert [(row["year"], row["kind"], row["activities"]) for row in body["results"]] == [
        (2025, "pupil_exchange", 1),
        (2025, UNKNOWN, 3),
    ]
    assert client.get("/api/exchanges/", {"kind": "pupil_exchange"}).json()["count"] == 1


def test_the_coordinators_pages_show_it_and_editing_asks_for_a_known_kind(
    client, coordinator, city
):
    client.force_login(coordinator)
    exchange = Exchange.objects.filter(kind=UNKNOWN).first()
    exchange.registered_by = coordinator
    exchange.save(update_fields=["registered_by"])

    listed = text(client.get(reverse("partnerships:exchange_list")))
    assert listed.count(f">{SHOWN['da']}</td>") == 3
    detail = text(client.get(reverse("partnerships:exchange_detail", args=[exchange.pk])))
    assert f"<dd>{SHOWN['da']}</dd>" in detail

    edit = reverse("partnerships:exchange_edit", args=[exchange.pk])
    form = client.get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    response = client.post(edit, data)
    assert list(response.context["form"].errors) == ["kind"]
    assert Exchange.objects.get(pk=exchange.pk).kind == UNKNOWN  # nothing saved


def test_the_admin_lists_and_opens_it(client, administrator, city):
    client.force_login(administrator)
    exchange = Exchange.objects.filter(kind=UNKNOWN).first()
    listed = text(client.get(reverse("admin:partnerships_exchange_changelist")))
    assert listed.count(f'<td class="field-kind_label">{SHOWN["da"]}</td>') == 3
    change = text(client.get(reverse("admin:partnerships_exchange_change", args=[exchange.pk])))
    assert exchange.title in change


def test_a_partner_city_of_an_unknown_kind_is_listed_downloaded_and_shown(client):
    PartnerCityFactory(name="Getafe", slug="getafe")
    PartnerCity.objects.filter(slug="getafe").update(kind="sister_city")

    listed = text(client.get(reverse("partnerships:city_list")))
    assert '<td data-label="Type">andet (sister_city)</td>' in listed
    page = text(client.get(reverse("partnerships:city_detail", args=["getafe"])))
    assert "<dd>andet (sister_city)</dd>" in page

    downloaded = client.get(url_in("en", "partnerships:city_list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(downloaded.streaming_content).decode())))
    assert [(row["City"], row["Kind"]) for row in rows] == [("Getafe", "other (sister_city)")]
    as_json = client.get(reverse("partnerships:city_list"), {"format": "json"})
    (record,) = json.loads(b"".join(as_json.streaming_content))
    assert record["kind"] == "sister_city"
    spreadsheet = client.get(reverse("partnerships:city_list"), {"format": "xlsx"})
    assert spreadsheet.status_code == 200
    assert b"".join(spreadsheet.streaming_content)[:2] == b"PK"
    api = client.get("/api/partner-cities/getafe/").json()
    assert api["kind"] == "sister_city"

"""The trips' totals agree with the trips a reader sees: they show the participants they
divide by (and the politicians and officials, as the trips do) and say how they are
counted, name each committee as the trips name it, and a total that includes a trip whose
accounts are provisional is marked provisional, as that trip is, wherever a trip's cost
appears: the totals and their chart, a budget line's published trips, the people who
travelled."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    CommitteeFactory,
    PersonFactory,
    TripFactory,
    rows_of,
)
from travel.models import Trip
from travel.services import sync_trip_commitments

pytestmark = pytest.mark.django_db

PARTICIPANTS_RULE = {
    "": "Deltagere er alle, der rejste: de navngivne politikere og embedsfolk samt de øvrige "
    "deltagere, som hver rejse har talt med.",
    "/en": "Participants are everyone who travelled: the politicians and officials named and "
    "the other participants each trip counts.",
}


class _Tables(HTMLParser):
    """Each table of a page by its caption (or its first heading): its rows as the words of
    their cells, as a reader sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.rows: list[list[str]] | None = None
        self.caption: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.rows, self.name = [], ""
        elif tag == "caption":
            self.caption = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self.caption is not None:
            self.name = " ".join("".join(self.caption).split())
            self.caption = None
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.rows is not None:
            self.tables[self.name or self.rows[0][0]] = self.rows
            self.rows = None

    def handle_data(self, data):
        for part in (self.caption, self.cell):
            if part is not None:
                part.append(data)


def tables_of(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def words(html: str) -> str:
    parser = _Words()
    parser.feed(html)
    return " ".join("".join(parser.text).split())


class _Words(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def trips():
    """2026 as the demo has it (a trip of the Finance Committee, final; one of the
    administration's Center for Social og Sundhed with two other participants, provisional)
    and a final trip of 2025."""
    finance = CommitteeFactory(
        slug="okonomiudvalget", name_da="Økonomiudvalget", name_en="Finance Committee"
    )
    politicians = [PersonFactory(name="Mette Holm"), PersonFactory(name="Susanne Bech")]
    officials = [PersonFactory(name=name, kind="official") for name in ("Tina Berg", "Morten Skov")]
    return {
        "nacka": TripFactory(
            title="Nacka",
            committee=finance,
            starts_on=datetime.date(2026, 4, 22),
            ends_on=datetime.date(2026, 4, 24),
            travellers=[*politicians, officials[0]],
            accounts_status="final",
            costs=[("transport", 25150, 25150)],
        ),
        "lanarkshire": TripFactory(
            title="South Lanarkshire",
            unit="Center for Social og Sundhed",
            starts_on=datetime.date(2026, 9, 7),
            ends_on=datetime.date(2026, 9, 10),
            travellers=[*officials, PersonFactory(name="Louise Krogh", kind="official")],
            other_participants=2,
            accounts_status="provisional",
            costs=[("transport", 22450, 22450)],
        ),
        "wuxi": TripFactory(
            title="Wuxi",
            committee=finance,
            travellers=[politicians[0], officials[0]],
            accounts_status="final",
            costs=[("transport", 10000, 10000)],
        ),
    }


# Participants


@pytest.mark.parametrize("filtered", [False, True])
def test_the_totals_show_the_participants_they_divide_by_and_how_they_are_counted(
    client, trips, filtered
):
    """2026's "per participant 5,950" was 47,600 ÷ 8 beside 2 politicians and 4 officials:
    the totals now show the 8, counted as each trip counts them. The same from the kept
    totals and from a filtered list's own trips."""
    query = {"cost_min": "1"} if filtered else {}
    page = client.get(reverse("travel:list"), query).content.decode()
    tables = tables_of(page)
    heading, *rows = tables["Pr. år"]
    assert heading == [
        "År", "Rejser", "Politikere", "Embedsfolk", "Deltagere", "Udgift", "Pr. deltager",
    ]  # fmt: skip
    assert rows == [
        ["2026", "2", "2", "4", "8", "47.600 kr. foreløbig", "5.950 kr."],
        ["2025", "1", "1", "1", "2", "10.000 kr.", "5.000 kr."],
    ]
    # The trips the 2026 total adds up: 3 + 5 participants, as the list shows them.
    listed = {row[0]: row[4:7] for row in tables["Udlandsrejser"][1:]}
    assert listed["Nacka"] == ["2", "1", "3"]
    assert listed["South Lanarkshire"] == ["0", "3", "5"]
    assert PARTICIPANTS_RULE[""] in words(page)


def test_the_english_page_says_how_participants_are_counted(client, trips):
    page = client.get("/en/trips/").content.decode()
    assert PARTICIPANTS_RULE["/en"] in words(page)
    heading, *rows = tables_of(page)["Per committee"]
    assert heading[4] == "Participants"
    assert ["Administration", "1", "0", "3", "5", "DKK 22,450 provisional", "DKK 4,490"] in rows


# One name for a committee


@pytest.mark.parametrize(
    ("prefix", "caption", "trips_caption", "finance", "administration"),
    [
        ("", "Pr. udvalg", "Udlandsrejser", "Økonomiudvalget", "Administration"),
        ("/en", "Per committee", "Trips abroad", "Finance Committee", "Administration"),
        ("/de", "Je Ausschuss", "Auslandsreisen", "Økonomiudvalget", "Verwaltung"),
    ],
)
def test_a_committee_is_named_the_same_on_the_trips_and_their_totals(
    client, trips, prefix, caption, trips_caption, finance, administration
):
    """The totals said "Administration" for a trip the list said "Center for Social og
    Sundhed" sent: each sender is named as its total names it, in the page's language (a
    committee without a German name falls back to Danish in both places)."""
    trip_address = trips["lanarkshire"].get_absolute_url()  # before a request changes language
    tables = tables_of(client.get(prefix + "/trips/").content.decode())
    heading, *totals = tables[caption]
    trips_heading, *listed = tables[trips_caption]
    assert heading[0] == trips_heading[3]  # "Sent by" over both
    assert [row[0] for row in totals] == [finance, administration]
    assert {row[3] for row in listed} == {
        finance,
        f"{administration}: Center for Social og Sundhed",
    }
    page = client.get(prefix + trip_address).content.decode()
    assert f"{administration}: Center for Social og Sundhed" in words(page)


# Provisional wherever a trip's cost appears


def test_a_total_that_includes_a_provisional_trip_is_provisional_in_its_table_and_chart(
    client, trips
):
    """As the trip's own cost is marked, so is every total that adds it up, with the same
    word, in the tables and the chart's bars, and the page says what it means; once the
    accounts are final, nothing is marked."""
    page = client.get(reverse("travel:list")).content.decode()
    tables = tables_of(page)
    assert tables["Udlandsrejser"][1][7] == "22.450 kr. foreløbig"  # the trip itself
    assert [row[5] for row in tables["Pr. år"][1:]] == ["47.600 kr. foreløbig", "10.000 kr."]
    assert [row[5] for row in tables["Pr. udvalg"][1:]] == ["35.150 kr.", "22.450 kr. foreløbig"]
    text = words(page)
    assert "2026 47.600 kr. (foreløbig) 2025 10.000 kr." in text  # the bars per year
    assert "Administration 22.450 kr. (foreløbig)" in text  # and per committee
    assert (
        "Foreløbigt, indtil den sidste faktura er kommet, derefter endeligt: en foreløbig udgift "
        "kan stadig ændre sig. En sum, der omfatter en foreløbig udgift, er også foreløbig."
    ) in text

    trip = trips["lanarkshire"]
    with rows_of(trip):
        Trip.objects.filter(pk=trip.pk).update(accounts_status="final")
    page = client.get(reverse("travel:list")).content.decode()
    assert "foreløbig" not in page
    assert tables_of(page)["Pr. år"][1][5] == "47.600 kr."


def test_a_budget_lines_published_trips_mark_a_provisional_cost_and_their_total(client, trips):
    year = BudgetYearFactory(year=2026)
    line = BudgetLineFactory(budget_year=year, code="INT-SAMARB", amount=200_000)
    for name in ("nacka", "lanarkshire"):
        Trip.objects.filter(pk=trips[name].pk).update(budget_line=line)
        sync_trip_commitments(trip=Trip.objects.get(pk=trips[name].pk), actor=None)
    page = client.get("/en" + reverse("budgets:line", args=[2026, "INT-SAMARB"])).content.decode()
    heading, *rows = tables_of(page)["Published trips"]
    assert rows == [
        ["Nacka", "DKK 25,150", "DKK 25,150"],
        ["South Lanarkshire", "DKK 22,450", "DKK 22,450 provisional"],
        ["Total", "DKK 47,600", "DKK 47,600 provisional"],
    ]
    assert "A total that includes a provisional cost is provisional too." in words(page)


def test_a_persons_total_is_provisional_when_a_trip_of_its_year_is(client, trips):
    """Tina Berg went on both trips of 2026 and on the trip of 2025: her 2026 total (on her
    page and on the people who travelled) includes the provisional trip, 2025's does not."""
    person = trips["nacka"].travellers.get(person__name="Tina Berg").person
    tables = tables_of(client.get(f"/en/trips/people/{person.slug}/").content.decode())
    assert tables["2026"][-1] == ["Total", "", "", "DKK 12,873.33 provisional"]
    assert tables["2025"][-1] == ["Total", "", "", "DKK 5,000"]
    people = tables_of(client.get("/en/trips/people/").content.decode())
    assert [row for row in people["People who travelled"] if "Tina Berg" in row[0]] == [
        ["Tina Berg (Official)", "2026", "2", "DKK 12,873.33 provisional"],
        ["Tina Berg (Official)", "2025", "1", "DKK 5,000"],
    ]

"""A trip's figures are defined once: the cost per participant in Decimal, divided by
everyone who travelled (shown, so the division can be checked), and provisional accounts
flagged wherever the trip's total appears."""

import csv
import io
import json

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, TripFactory
from travel.figures import cost_per_participant

pytestmark = pytest.mark.django_db


def test_the_cost_per_participant_is_decimal_and_rounded_to_the_ore():
    from decimal import Decimal

    assert cost_per_participant(Decimal("1000.00"), 3) == Decimal("333.33")
    assert cost_per_participant(Decimal("1000.00"), 6) == Decimal("166.67")
    assert cost_per_participant(Decimal("1000.00"), 0) is None


def test_one_figure_on_the_page_the_list_the_person_the_csv_and_the_json(client):
    person = PersonFactory(name="Mette Holm")
    trip = TripFactory(
        slug="wuxi",
        travellers=[person],
        other_participants=2,
        accounts_status="provisional",
        costs=[("transport", 1000, 1000)],
    )
    detail = client.get(trip.get_absolute_url()).content.decode()
    assert "333,33\xa0kr." in detail
    listing = client.get(reverse("travel:list")).content.decode()
    assert "333,33\xa0kr." in listing and ">3</td>" in listing  # and who it was divided by
    assert "foreløbig" in listing
    person_page = client.get(reverse("travel:person", args=[person.slug])).content.decode()
    assert "333,33\xa0kr." in person_page and "foreløbig" in person_page
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("travel:list"), {"format": "csv"}).getvalue().decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0]["Pr. deltager"] == "333,33"
    assert rows[0]["Regnskab"] == "Foreløbigt: der kan stadig komme fakturaer"
    (row,) = json.loads(client.get(reverse("travel:list"), {"format": "json"}).getvalue())
    assert (row["cost_per_participant"], row["accounts_status"]) == ("333.33", "provisional")
    api = client.get(f"/api/trips/{trip.slug}/").json()
    assert api["cost_per_participant"] == "333.33"


def test_empty_filter_choices_say_what_they_mean(client):
    TripFactory()
    page = client.get(reverse("travel:list")).content.decode()
    assert "---------" not in page
    for words in ("Alle udvalg", "Alle lande", "Alle samarbejdsbyer", "Alle rejsende"):
        assert f'<option value="" selected>{words}</option>' in page
    english = client.get("/en" + reverse("travel:list")).content.decode()
    assert '<option value="" selected>All committees</option>' in english
    for url in (reverse("partnerships:city_list"), "/en" + reverse("partnerships:city_list")):
        assert "---------" not in client.get(url).content.decode()


def test_english_dates_are_unambiguous_and_danish_stay_danish(client):
    import datetime

    trip = TripFactory(
        starts_on=datetime.date(2025, 10, 13),
        ends_on=datetime.date(2025, 10, 19),
        costs=[("transport", 100, 100)],
    )
    trip.programme.create(day=datetime.date(2025, 10, 13), what="Møde")
    address = trip.get_absolute_url()  # the Danish address, before a request switches language
    english = client.get("/en" + address).content.decode()
    assert "Monday 13 October 2025" in english and "13 October 2025–19 October 2025" in english
    english_list = client.get("/en/trips/").content.decode()
    assert "13 Oct 2025" in english_list
    for page in (english, english_list):
        assert "Oct." not in page and "10/13/2025" not in page and "13. October" not in page
        assert "13/10/2025" not in page  # 01/09/2026 would read as 9 January to half the world
    danish = client.get(address).content.decode()
    assert "Mandag den 13. oktober 2025" in danish
    assert "13.10.2025" in client.get("/trips/").content.decode()


def test_the_people_who_travelled_and_each_persons_downloads(client, django_assert_max_num_queries):
    mette = PersonFactory(name="Mette Holm")
    TripFactory(slug="a", travellers=[mette], costs=[("transport", 1000, 1000)])
    TripFactory(slug="kladde", travellers=[mette], state="draft", published_at=None)
    with django_assert_max_num_queries(8) as few:
        page = client.get(reverse("travel:people")).content.decode()
    assert "Mette Holm" in page and "1.000\xa0kr." in page
    for n in range(10):
        TripFactory(slug=f"t{n}", travellers=[PersonFactory(), mette])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("travel:people"))

    rows = json.loads(client.get(reverse("travel:people"), {"format": "json"}).getvalue())
    assert {key: value for key, value in rows[0].items() if key in ("name", "trips")} == {
        "name": "Mette Holm",
        "trips": 11,
    }
    person = json.loads(
        client.get(reverse("travel:person", args=[mette.slug]), {"format": "json"}).getvalue()
    )
    assert len(person) == 11 and "kladde" not in str(person)
    text = client.get(reverse("travel:person", args=[mette.slug]), {"format": "csv"})
    assert text["Content-Type"].startswith("text/csv")


def test_the_people_come_a_page_at_a_time_and_the_download_has_everyone(client):
    people = [PersonFactory(name=f"Person {n:02d}") for n in range(14)]
    TripFactory(travellers=people[:7], costs=[("transport", 1000, 1000)])
    TripFactory(travellers=people[7:], costs=[("transport", 1000, 1000)])
    first = client.get(reverse("travel:people")).content.decode()
    second = client.get(reverse("travel:people"), {"page": 2}).content.decode()
    assert [f"Person {n:02d}" in first for n in range(14)] == [True] * 10 + [False] * 4
    assert [f"Person {n:02d}" in second for n in range(14)] == [False] * 10 + [True] * 4
    assert "Side 1 af 2" in first and 'rel="next"' in first
    rows = json.loads(client.get(reverse("travel:people"), {"format": "json"}).getvalue())
    assert len(rows) == 14


def test_the_english_page_marks_danish_staff_text_and_says_so(client):
    trip = TripFactory(
        slug="wuxi-en",
        purpose="Lære om skoler",
        costs=[("accommodation", 100, 100)],
    )
    trip.account_lines.update(description="2 nætter")
    address = trip.get_absolute_url()
    english = client.get("/en" + address).content.decode()
    assert '<div class="prose" lang="da"><p>Lære om skoler</p></div>' in english
    assert 'Accommodation: <span lang="da">2 nætter</span>' in english
    assert "has not been translated into this page's language; it is shown in Danish" in (
        english.replace("&#x27;", "'")
    )
    danish = client.get(address).content.decode()
    assert 'lang="da"><p>' not in danish and "translated" not in danish

    # Once staff write the English text, English readers get it, unmarked and without note.
    trip.purpose_en = "Learning about schools"
    trip.save()
    english = client.get("/en" + address).content.decode()
    assert '<div class="prose"><p>Learning about schools</p></div>' in english
    assert "Lære om skoler" not in english and "not been translated" not in english


def test_the_trip_pdf_reads_like_the_page_with_the_same_figures(client):
    import io
    import re

    from pypdf import PdfReader

    mette = PersonFactory(name="Mette Holm")
    trip = TripFactory(
        slug="pdf",
        title="Studietur til Wuxi",
        travellers=[mette],
        other_participants=1,
        costs=[("transport", 12000, 11250.5), ("accommodation", 8000, 8400)],
    )
    page = client.get(trip.get_absolute_url()).content.decode()
    response = client.get(reverse("travel:trip_pdf", args=[trip.slug]))
    reader = PdfReader(io.BytesIO(response.content))
    lines = [
        line.strip() for p in reader.pages for line in p.extract_text().splitlines() if line.strip()
    ]
    text = "\n".join(lines)
    # The header facts each on a line of their own, in the page's order.
    facts = [next(i for i, line in enumerate(lines) if line.startswith(label))
             for label in ("Rejsemål", "Datoer", "Rejsende")]  # fmt: skip
    assert facts == sorted(facts) and len(set(facts)) == 3
    # The same sections in the same order as the page.
    sections = ["Formål", "Program", "Regnskab", "Rapport: mål og udbytte"]
    assert [text.index(s) for s in sections] == sorted(text.index(s) for s in sections)
    # Every amount of the page's accounts is in the PDF, and the total with its rows.
    amounts = re.findall(
        r"\d{1,3}(?:\.\d{3})*(?:,\d\d)?\xa0kr\.", page.split("<h2>Regnskab</h2>")[1]
    )
    for amount in amounts:
        assert amount.replace("\xa0", " ") in text.replace("\xa0", " "), amount
    total_line = next(line for line in lines if line.startswith("I alt"))
    assert "19.650,50 kr." in total_line.replace("\xa0", " ")
    assert "9.825,25 kr." in text.replace("\xa0", " ")  # per participant, as on the page


def test_a_text_without_an_english_version_is_marked_as_danish(client):
    from tests.factories import PartnerCityFactory

    city = PartnerCityFactory(
        slug="wuxi", description_da="Venskabsby siden 2011.", description_en=""
    )
    english = client.get("/en/partner-cities/wuxi/").content.decode()
    assert '<div class="prose" lang="da"><p>Venskabsby siden 2011.</p></div>' in english
    city.description_en = "Twin town since 2011."
    city.save()
    english = client.get("/en/partner-cities/wuxi/").content.decode()
    assert '<div class="prose"><p>Twin town since 2011.</p></div>' in english


def _trip_of_days(days: int):
    """A trip with a programme of `days` days, one item a day, each day's texts of other
    lengths, and accounts of six rows."""
    import datetime

    trip = TripFactory(
        slug=f"days-{days}",
        starts_on=datetime.date(2025, 10, 1),
        ends_on=datetime.date(2025, 10, days),
        costs=[(category, 1000, 1000) for category in ("transport", "accommodation", "meals")] * 2,
    )
    for day in range(days):
        long, short = "Møde om erhvervssamarbejde og skoleudveksling i regionen", "Møde"
        trip.programme.create(
            day=trip.starts_on + datetime.timedelta(days=day),
            time=datetime.time(9, 0),
            what=long if day % 2 else short,
            where=short if day % 2 else long,
            with_whom="Borgmesteren" if day % 3 else "Rektor, lærere og udvekslingselever",
        )
    return trip


@pytest.mark.parametrize("days", range(5, 10))
def test_the_accounts_heading_is_on_the_page_of_its_table(client, days):
    """ "Regnskab" was left alone at the foot of page 1, its table on page 2: however long
    the programme, the heading, the line under it and the table are on one page."""
    from tests import pdfs

    content = client.get(reverse("travel:trip_pdf", args=[_trip_of_days(days).slug])).content
    (heading,) = pdfs.line_starting(content, "Regnskab")
    (note,) = pdfs.line_starting(content, "Alle beløb er inklusive moms.")
    (table_head,) = pdfs.line_starting(content, "Kategori Budget Faktisk Forskel")
    (total,) = pdfs.line_starting(content, "I alt")
    assert heading.page == note.page == table_head.page == total.page


@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
def test_every_day_of_the_programme_has_the_same_columns_in_the_pdf(client, prefix):
    """Each day's table was as wide as its own texts wanted: the columns moved from day to
    day. Now every day's "Time", "What", "Where" and "With whom" start where the others'
    do."""
    from tests import pdfs

    trip = _trip_of_days(6)
    content = client.get(prefix + reverse("travel:trip_pdf", args=[trip.slug])).content
    heads = pdfs.line_starting(content, {"": "Tid", "/en": "Time", "/de": "Uhrzeit"}[prefix])
    assert len(heads) == 6
    runs = pdfs.run_starts(content)
    columns = {
        tuple(sorted(x for page, x, y in runs if page == head.page and y == head.y))
        for head in heads
    }
    assert len(columns) == 1 and len(next(iter(columns))) >= 4, columns

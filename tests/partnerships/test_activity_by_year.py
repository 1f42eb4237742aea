"""A partner city's exchanges by year, as a reader sees them: a year of three exchanges is
shown whatever their kinds, the years with too few to show are one line, planned exchanges
are counted apart from those carried out (the finding: East Kilbride's nine yearly tables
whose every row said "fewer than 3 activities: not shown", 2009's three exchanges too)."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils.translation import override

from partnerships.enums import ExchangeKind, ExchangeStatus
from partnerships.selectors import year_spans
from tests.factories import ExchangeFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db

CARRIED_OUT, PLANNED = ExchangeStatus.CARRIED_OUT, ExchangeStatus.PLANNED


class _Section(HTMLParser):
    """The activity section of the page: each table as its caption and rows of cell texts,
    and the paragraphs after the tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.tables, self.paragraphs, self.text = False, [], [], None
        self.row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "section" and ("aria-labelledby", "activity-heading") in attrs:
            self.inside = True
        elif self.inside and tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif self.inside and tag == "tr":
            self.row = []
        elif self.inside and tag in ("th", "td", "caption", "p"):
            self.text = []

    def handle_endtag(self, tag):
        if tag == "section":
            self.inside = False
        if self.inside and tag == "tr":
            self.tables[-1]["rows"].append(self.row)
        if not self.inside or self.text is None:
            return
        text = " ".join("".join(self.text).replace("\xa0", " ").split())
        if tag == "caption":
            self.tables[-1]["caption"], self.text = text, None
        elif tag in ("th", "td"):
            self.row.append(text)
            self.text = None
        elif tag == "p":
            self.paragraphs.append(text)
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def activity(client, city, language="da"):
    with override(language):
        url = city.get_absolute_url()
    parser = _Section()
    parser.feed(client.get(url).content.decode())
    return parser


def exchange(city, year, kind, status=CARRIED_OUT, month=5, **people):
    people = {"pupils": 0, "teachers": 0, "staff": 0, "others": 0, **people}
    return ExchangeFactory(
        partner_city=city, kind=kind, status=status,
        starts_on=datetime.date(year, month, 1), ends_on=datetime.date(year, month, 5), **people,
    )  # fmt: skip


@pytest.fixture
def east_kilbride():
    """The demo's South Lanarkshire: from 2002 to 2008 an incoming visit and a staff study
    visit a year, 2009 a work placement besides, 2010 a work placement only."""
    city = PartnerCityFactory(name="East Kilbride, South Lanarkshire")
    for year in range(2002, 2010):
        exchange(city, year, ExchangeKind.INCOMING_VISIT, month=5, staff=12 + year % 3)
        exchange(city, year, ExchangeKind.STAFF_STUDY_VISIT, month=9, staff=5)
    exchange(city, 2009, ExchangeKind.WORK_PLACEMENT, month=9, pupils=6)
    exchange(city, 2010, ExchangeKind.WORK_PLACEMENT, month=3, pupils=4)
    return city


HEAD = [
    "Kind", "Carried out", "Planned", "Pupils", "Teachers", "Staff", "Others", "Participants",
]  # fmt: skip


def test_a_year_of_three_exchanges_of_three_kinds_is_shown(client, east_kilbride):
    page = activity(client, east_kilbride, "en")
    assert page.tables == [
        {
            "caption": "2009",
            "rows": [
                HEAD,
                [
                    "Several kinds: Incoming visit, Staff study visit, Work placement",
                    "3", "0", "6", "0", "19", "0", "25",
                ],
                ["Total", "3", "0", "", "25"],
            ],
        }
    ]  # fmt: skip
    assert page.paragraphs[-1] == (
        "2002–2008, 2010: fewer than 3 activities a year, not shown to protect the people involved."
    )


@pytest.mark.parametrize(
    ("language", "kinds", "quiet"),
    [
        (
            "da",
            "Flere slags: Besøg i kommunen, Studiebesøg for ansatte, Praktik",
            "2002–2008, 2010: færre end 3 aktiviteter om året, vises ikke af hensyn til de "
            "deltagende.",
        ),
        (
            "de",
            "Mehrere Arten: Besuch bei uns, Studienbesuch von Beschäftigten, Praktikum",
            "2002–2008, 2010: weniger als 3 Aktivitäten im Jahr, zum Schutz der Beteiligten "
            "nicht gezeigt.",
        ),
    ],
)
def test_the_page_says_it_in_danish_and_german(client, east_kilbride, language, kinds, quiet):
    page = activity(client, east_kilbride, language)
    assert page.tables[0]["rows"][1][0] == kinds
    assert page.paragraphs[-1] == quiet


def test_the_threshold_is_the_one_setting(client, east_kilbride, settings):
    """Three exchanges are a group to show at the default minimum of 3, not at 4; the
    line of quiet years says the minimum in force."""
    settings.STATISTICS_MIN_GROUP = 4
    page = activity(client, east_kilbride, "en")
    assert page.tables == []
    assert page.paragraphs[-1] == (
        "2002–2010: fewer than 4 activities a year, not shown to protect the people involved."
    )


def test_a_small_kind_beside_a_shown_one_stays_hidden_and_so_does_the_total(client):
    """Three pupil exchanges are shown; one teacher exchange and one culture exchange
    together are two, too few: their row says so, and the year's participants are not
    given (they would give the two away by subtraction)."""
    city = PartnerCityFactory()
    for month in (2, 3, 4):
        exchange(city, 2024, ExchangeKind.PUPIL_EXCHANGE, month=month, pupils=20, teachers=2)
    exchange(city, 2024, ExchangeKind.TEACHER_EXCHANGE, teachers=3)
    exchange(city, 2024, ExchangeKind.CULTURE_OR_SPORT, others=9)
    page = activity(client, city, "en")
    assert page.tables == [
        {
            "caption": "2024",
            "rows": [
                HEAD,
                ["Pupil exchange", "3", "0", "60", "6", "0", "0", "66"],
                [
                    "Several kinds: Culture or sport, Teacher exchange", "2", "0",
                    "fewer than 3 activities: not shown",
                ],
                ["Total", "5", "0", "", "–"],
            ],
        }
    ]  # fmt: skip
    assert "9" not in " ".join(" ".join(row) for row in page.tables[0]["rows"])


def test_planned_exchanges_are_counted_apart_and_a_planned_year_says_so(client):
    city = PartnerCityFactory()
    exchange(city, 2026, ExchangeKind.PUPIL_EXCHANGE, month=3, pupils=20)
    exchange(city, 2026, ExchangeKind.PUPIL_EXCHANGE, month=4, pupils=18)
    exchange(city, 2026, ExchangeKind.PUPIL_EXCHANGE, PLANNED, month=10, pupils=22)
    exchange(city, 2026, ExchangeKind.PUPIL_EXCHANGE, ExchangeStatus.CANCELLED, pupils=30)
    for month in (4, 5, 6):
        exchange(city, 2027, ExchangeKind.TEACHER_EXCHANGE, PLANNED, month=month, teachers=2)
    page = activity(client, city, "en")
    assert [table["caption"] for table in page.tables] == ["2027: planned", "2026"]
    assert page.tables[0]["rows"][1:] == [
        ["Teacher exchange", "0", "3", "0", "6", "0", "0", "6"],
        ["Total", "0", "3", "", "6"],
    ]
    assert page.tables[1]["rows"][1:] == [
        ["Pupil exchange", "2", "1", "60", "0", "0", "0", "60"],
        ["Total", "2", "1", "", "60"],
    ]
    danish = activity(client, city)
    assert [table["caption"] for table in danish.tables] == ["2027: planlagt", "2026"]


def test_a_city_without_exchanges_says_so(client):
    page = activity(client, PartnerCityFactory(), "en")
    assert (page.tables, page.paragraphs[-1]) == (
        [],
        "No exchanges have been registered with this city yet.",
    )


@pytest.mark.parametrize(
    ("years", "text"),
    [
        ([2010, 2008, 2007, 2006, 2005, 2004, 2003, 2002], "2002–2008, 2010"),
        ([2019], "2019"),
        ([2021, 2019, 2018], "2018–2019, 2021"),
        ([], ""),
    ],
)
def test_quiet_years_are_written_as_spans(years, text):
    assert year_spans(years) == text


def test_the_page_reads_the_same_queries_however_many_years_and_exchanges(
    client, django_assert_max_num_queries
):
    city = PartnerCityFactory()
    exchange(city, 2024, ExchangeKind.PUPIL_EXCHANGE, pupils=5)
    with django_assert_max_num_queries(20) as few:
        first = client.get(city.get_absolute_url())
    kinds = list(ExchangeKind)
    for year in range(1995, 2031):
        for n in range(year % 7 + 1):
            status = PLANNED if year > 2026 or n == 0 else CARRIED_OUT
            exchange(city, year, kinds[(year + n) % len(kinds)], status, pupils=3 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        many = client.get(city.get_absolute_url())
    tables = len(re.findall(r"<caption", many.content.decode()))
    assert (len(re.findall(r"<caption", first.content.decode())), tables > 10) == (0, True)

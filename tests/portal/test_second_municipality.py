"""A second municipality runs the portal from its record and its data alone: Düsseldorf's
demo, loaded into a municipality of its own (German first and English second, in euros, at
its host) beside the first one. Every public page and download it links to is read in both
languages; nothing of Ballerup, the Danish krone or the Danish language leaks."""

import json
import re
from collections import deque
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

DEMO = Path(settings.BASE_DIR) / "shell" / "demo" / "duesseldorf.json"

# Words a German or English reader would never see: the currency, the first municipality,
# and common Danish words of its pages and its data.
LEAKS = re.compile(
    r"\bkr\.|DKK|Ballerup|\b(?:og|til|af|samarbejdsbyer|udvalg|kommune|tilskud|rejser|beløb|"
    r"forside|søg|ansøg\w*|borgmester|budgetopfølgning|valgperiode)\b|[æøå]",
    re.IGNORECASE,
)
SKIP = ("/static/", "/media/", "/admin/", "/staff/", "/login/", "/logout/", "/i18n/")


HOST = "duesseldorf.localhost"


@pytest.fixture
def duesseldorf(settings, db, municipality):
    """The file names its municipality (languages, currency, host): loaded beside the first
    one, which is set up (it has a host), so the file makes a municipality of its own. The
    test runs inside it, as a request to its host does."""
    from portal.models import Municipality, MunicipalityHost
    from portal.scoping import municipality as active

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    MunicipalityHost.objects.create(municipality=municipality, host="kommune.localhost")
    call_command("load_demo", file=DEMO, stdout=open("/dev/null", "w"))  # noqa: SIM115
    record = Municipality.objects.get(slug="duesseldorf")
    assert record.pk != municipality.pk
    with active(record):
        yield record


@pytest.fixture
def client(duesseldorf):
    """A visitor of Düsseldorf's host."""
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def _links(html: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="(/[^"#]*)"', html)
        if not link.startswith(SKIP)
    ]


def _crawl(client, start: str, limit: int = 400) -> dict[str, str]:
    """Every page and download reachable from `start` on this site: address -> text."""
    seen, queue, texts = {start}, deque([start]), {}
    while queue and len(texts) < limit:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code in (301, 302):  # e.g. /budget/ to the current year's
            location = response["Location"]
            if location not in seen:
                seen.add(location)
                queue.append(location)
            continue
        assert response.status_code == 200, (address, response.status_code)
        kind = response["Content-Type"]
        if "spreadsheetml" in kind or "pdf" in kind:
            continue
        text = response.getvalue().decode()
        texts[address] = text
        if "html" in kind:
            for link in _links(text):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return texts


@pytest.mark.parametrize(("prefix", "language"), [("", "de"), ("/en", "en")])
def test_every_public_page_and_download_speaks_the_portals_languages(
    client, duesseldorf, prefix, language
):
    texts = _crawl(client, prefix + "/")
    addresses = set(texts)
    # The crawl reached every kind of page and download.
    for expected in (
        "/partner-cities/toulouse/",
        "/networks/eurocities/",
        "/trips/2026-03-rat-toulouse/",
        "/budget/2026/",
        "/grants/jugendbegegnungen/apply/",
        "/follow-up/2026/",
        "/data/",
    ):
        assert prefix + expected in addresses, expected
    assert any("format=csv" in address for address in addresses)
    assert any("format=json" in address for address in addresses)

    leaks, wrong_language = {}, []
    for address, text in texts.items():
        if found := LEAKS.findall(re.sub(r"<[^>]+>", " ", text)):
            leaks[address] = sorted(set(found))[:5]
        page_language = re.search(r'<html lang="([^"]+)"', text)
        if page_language and page_language[1] != language:
            wrong_language.append(address)
    assert leaks == {}
    assert wrong_language == []


def test_money_is_in_euros_and_texts_in_the_readers_language(client, duesseldorf):
    german = client.get("/trips/2026-03-rat-toulouse/").content.decode()
    english = client.get("/en/trips/2026-03-rat-toulouse/").content.decode()
    assert "4.292,40\xa0€" in german  # 2310 + 1470 + 512.40
    assert "€4,292.40" in english
    assert "<h1>Delegationsreise des Rates nach Toulouse</h1>" in german
    assert "<h1>The City Council&#x27;s delegation to Toulouse</h1>" in english
    # The programme was written in German only: English readers get it marked as German.
    assert '<td data-label="What" lang="de">Empfang im Rathaus</td>' in english

    rows = json.loads(client.get("/en/trips/", {"format": "json"}).getvalue())
    assert rows[0]["title"] == "The City Council's delegation to Toulouse"
    # The JSON download gives the title in every language too; the page's language first.
    assert rows[0]["title_de"] == "Delegationsreise des Rates nach Toulouse"
    assert rows[0]["title_en"] == rows[0]["title"] and rows[0]["title_da"] == ""
    data_page = client.get("/en/data/").content.decode()
    assert "<code>title_de</code>" in data_page
    api = client.get("/api/trips/2026-03-rat-toulouse/").json()
    assert api["title_de"] == "Delegationsreise des Rates nach Toulouse"
    assert api["title_en"] == "The City Council's delegation to Toulouse"

    csv = client.get("/trips/", {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Kennung;Reise;Abreise;Rückkehr;")
    assert ";4292,40;" in csv  # plainly, as pandas reads it with sep=";", decimal=","


def test_the_trip_totals_name_its_committees_in_the_readers_language(client, duesseldorf):
    """Its committees have no Danish name: the totals group by committee, not by that name."""
    for path, council in (("/trips/", "Rat der Stadt"), ("/en/trips/", "City Council")):
        for params in ({}, {"year": "2026"}):  # the kept totals, and the filtered trips
            totals = client.get(path, params).context["totals"]["by_committee"]
            assert [row["group"] for row in totals] == [council]


def test_its_audit_log_and_budget_lines_name_its_committees_and_lines(client, duesseldorf):
    """Records that outlive a request are written in its default language, not Danish."""
    import datetime

    from budgets.models import BudgetLine, Committee
    from portal.models import AuditEntry
    from tests.factories import TripFactory, UserFactory
    from travel import services

    line = BudgetLine.objects.exclude(name_de="").first()
    assert str(line).endswith(line.name_de)
    council = Committee.objects.get(slug="rat")
    trip = TripFactory(committee=council, report="Ergebnisse.", costs=[("transport", 1000, 900)])
    services.approve_report(
        trip=trip,
        actor=UserFactory(username="schriftfuehrer"),
        approved_on=trip.ends_on + datetime.timedelta(days=7),
        approved_by=council,
        agenda_item="4",
    )
    entry = AuditEntry.objects.get(action="trip.approve_report")
    assert entry.data["committee"] == "Rat der Stadt"


def test_the_apply_form_names_the_currency_and_the_rules_in_german(client, duesseldorf):
    page = client.get("/grants/jugendbegegnungen/apply/").content.decode()
    assert "Kosten und Betrag (€)" in page
    assert "Höchstens 2.000\xa0€ je Antrag" in page


def test_its_own_institutions_and_rules_replace_denmarks(client, duesseldorf):
    page = client.get("/budget/2026/").content.decode()
    # Its own kinds of budget line, its central one first, and its own carry-over rule.
    central, others = page.split('id="other-heading"')
    assert "Städtepartnerschaften und Begegnungen" in central  # a line of its central kind
    assert "Dienstreisen der Gremien" in others and "Rat der Stadt: Dienstreisen" in others
    assert "auf Beschluss des Rates in das nächste Haushaltsjahr" in page
    assert "<p>Ratsperiode 2026–2030.</p>" in page  # the term as the city names it
    assert "Wahlperiode, und verfällt am Ende der Periode" not in page
    english = client.get("/en/budget/2026/").content.decode()
    assert "by decision of the council" in english
    rows = json.loads(client.get("/budget/2026/", {"format": "json"}).getvalue())
    assert {row["kind"] for row in rows} == {"international", "dienstreisen"}


def test_its_follow_up_has_its_own_rounds(client, duesseldorf):
    page = client.get("/follow-up/2026/").content.decode()
    assert "Halbjahresbericht" in page and "Jahresabschluss" in page
    assert "Haushaltsbericht" not in page  # Denmark's budget follow-ups are gone
    rows = json.loads(client.get("/follow-up/2026/", {"format": "json"}).getvalue())
    assert rows[0]["halbjahr_milestone"].startswith("Zwei Partnerstädte")
    assert not any(key.startswith("first_") for key in rows[0])

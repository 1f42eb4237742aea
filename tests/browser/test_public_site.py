"""Every public page, in Danish, English and German, in a real Chromium: no axe-core violations."""

import pytest

from tests.browser.helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PUBLIC_PAGES = [
    "/",
    "/partner-cities/",
    "/partner-cities/?kind=twin_town&focus_area=children-youth",
    "/partner-cities/east-kilbride-south-lanarkshire/",
    "/partner-cities/wuxi/",
    "/networks/",
    "/networks/edge-cities-network/",
    "/networks/eurocities/",
    "/charters/",
    "/charters/integrating-cities-charter/",
    "/budget/2026/",
    "/budget/2025/",
    "/budget/staff-time/",
    "/budget/2026/lines/INT-UNG/",
    "/budget/2026/lines/UDV-SOCIAL-SUNDHED/",
    "/budget/2026/lines/INT-SAMARB/",
    "/trips/overdue/",
    "/trips/people/",
    "/grants/sent/",
    "/follow-up/2026/",
    "/follow-up/2017/",
    "/trips/",
    "/trips/?year=2025&committee=born-skole&order=-cost",
    "/trips/2025-10-bsu-wuxi/",
    "/trips/2026-04-ecn-nacka/",
    "/trips/people/jens-kjaer/",
    "/grants/",
    "/grants/ungdomsrejser/apply/",
    "/grants/statistics/",
    "/data/",
    "/data/api/",
    "/search/?q=wuxi",
    "/search/?q=ingenting-her",
    "/login/",
    "/no-such-page/",
]


@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
def test_every_public_page_has_no_accessibility_violations(page, live_server, demo, prefix):
    failures = {}
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + prefix + path)
        assert page.locator("h1").count() == 1, path
        if violations := axe_violations(page):
            failures[prefix + path] = violations
    assert failures == {}


def test_a_citizen_finds_a_twin_town_and_switches_language(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Samarbejdsbyer"
    ).click()
    page.get_by_label("Type").select_option("twin_town")
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator("tbody tr th")
    assert rows.all_inner_texts() == ["East Kilbride/South Lanarkshire", "Prag 10"]

    page.get_by_role("button", name="English").click()
    assert page.url.endswith("/en/partner-cities/?kind=twin_town&status=&focus_area=")
    assert page.locator("h1").inner_text() == "Partner cities"
    assert page.locator("tbody tr th").all_inner_texts() == [
        "East Kilbride/South Lanarkshire",
        "Prag 10",
    ]
    page.get_by_role("link", name="Prag 10").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Czechia" in page.locator(".facts").inner_text()

    page.get_by_role("button", name="Dansk").click()
    assert page.url == live_server.url + "/partner-cities/prag-10/"
    assert "Tjekkiet" in page.locator(".facts").inner_text()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, live_server, demo):
    page.goto(live_server.url + "/networks/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Gå til indhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
def test_no_public_page_is_wider_than_a_phone(page, live_server, demo, prefix):
    """At 390 px nothing scrolls sideways: wide tables scroll inside their own box."""
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = {}
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + prefix + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[prefix + path] = width
        if violations := axe_violations(page):
            too_wide[prefix + path + " (axe)"] = violations
    assert too_wide == {}


@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
def test_the_page_for_a_too_large_spreadsheet_reads_well_on_a_phone(
    page, live_server, demo, prefix, settings
):
    settings.XLSX_MAX_ROWS = 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + prefix + "/trips/?format=xlsx")
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    csv_link = page.locator("main a[href*='format=csv']")
    assert csv_link.get_attribute("href") == "?format=csv"


@pytest.mark.parametrize(
    ("prefix", "label"), [("", "Rejsende"), ("/en", "Traveller"), ("/de", "Reisende Person")]
)
def test_beyond_the_choices_limit_a_reader_finds_a_travellers_trips_by_name_on_a_phone(
    page, live_server, demo, settings, prefix, label
):
    """National scale: the trip list asks for a name instead of listing every traveller
    (a plain form: it works without JavaScript, as the no-JS tests of the filters show)."""
    settings.FILTER_CHOICES_MAX = 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + prefix + "/trips/")
    field = page.get_by_label(label, exact=True)
    assert field.get_attribute("type") == "search"
    field.fill("kjær")
    page.get_by_role(
        "button", name={"": "Filtrer", "/en": "Filter", "/de": "Filtern"}[prefix]
    ).click()
    assert page.get_by_label(label, exact=True).input_value() == "kjær"
    found = page.locator("table tbody th[scope=row] a").all_inner_texts()
    page.goto(live_server.url + prefix + "/trips/?person=jens-kjaer")  # a link by identifier
    assert found and found == page.locator("table tbody th[scope=row] a").all_inner_texts()
    page.go_back()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []


@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
@pytest.mark.parametrize("path", ["/trips/", "/budget/2026/"])
def test_every_bar_of_a_chart_is_drawn_in_every_language(page, live_server, demo, prefix, path):
    """A bar is as wide as its share of the largest: Danish and German wrote "16,28%",
    which SVG rejects, and every bar was drawn 0 px wide."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + prefix + path)
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        full = chart.evaluate("svg => svg.getBoundingClientRect().width")
        widths = chart.evaluate(
            "svg => [...svg.querySelectorAll('rect')].map("
            "r => [r.getAttribute('width'), r.getBoundingClientRect().width])"
        )
        assert widths, path
        for attribute, drawn in widths:
            share = float(attribute.rstrip("%")) / 100
            assert abs(drawn - share * full) <= 2, (attribute, drawn, full)
        assert max(drawn for _attribute, drawn in widths) == pytest.approx(full, abs=2)

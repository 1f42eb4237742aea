"""What a reader sees of the year at a glance, in a real Chromium, in Danish, English and German
at 1280 and 390 px: the front page's figures and its search box at the top, and the staff
time beside the money on the budget page and its own page. No axe-core violations, nothing
wider than the screen, and the search works without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations
from tests.browser.test_tables_fit import FIGURES_ON_SCREEN, MEASURE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per language: the search box's label, the staff time's heading and its time column.
LANGUAGES = {
    "": ("Søg i rejser, budgetter, tilskud og samarbejdsbyer", "Medarbejdertid", "Årsværk"),
    "/en": (
        "Search trips, budgets, grants and partner cities",
        "Staff time",
        "Full-time equivalents",
    ),
    "/de": (
        "Reisen, Haushalt, Zuschüsse und Partnerstädte durchsuchen",
        "Arbeitszeit",
        "Vollzeitstellen",
    ),
}
WIDTHS = [1280, 390]


def test_the_front_page_and_the_staff_time_read_well_everywhere(page, live_server, demo):
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for prefix, (search_label, staff_heading, fte) in LANGUAGES.items():
            page.goto(f"{live_server.url}{prefix}/")
            box = page.get_by_role("search", name=search_label)
            expect(box).to_be_visible()
            field = box.get_by_label(search_label)
            edge = field.bounding_box()
            assert edge["x"] >= 0 and edge["x"] + edge["width"] <= width, (prefix, width)
            # Above the figures: the box is the first thing after the heading and the tagline.
            assert edge["y"] < page.locator("#figures-heading").bounding_box()["y"]
            figures = page.locator(".figures .figure a")
            assert figures.count() == 4
            for n in range(4):
                expect(figures.nth(n)).to_be_visible()
                right = figures.nth(n).bounding_box()
                assert right["x"] + right["width"] <= width, (prefix, width, n)
            for address in (f"{prefix}/", f"{prefix}/budget/2026/", f"{prefix}/budget/staff-time/"):
                if address != f"{prefix}/":
                    page.goto(live_server.url + address)
                found = page.evaluate(MEASURE) + axe_violations(page)
                if width == 390:
                    found += [f"off screen: {f}" for f in page.evaluate(FIGURES_ON_SCREEN)]
                if found:
                    problems[f"{address} at {width} px"] = found
            page.goto(f"{live_server.url}{prefix}/budget/2026/")
            expect(page.get_by_role("heading", name=staff_heading, exact=True)).to_be_visible()
            assert page.get_by_role("columnheader", name=fte).count() == 1
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_ballerup_budget_page_shows_the_strategys_staff_time(page, live_server, demo):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + "/budget/2026/")
    summary = page.locator(".budget-summary")
    expect(summary).to_contain_text("0,75 årsværk og 10 timer om året")
    table = page.locator("table", has=page.locator("caption", has_text="Medarbejdertid 2026"))
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    meetings = rows.nth(2)
    expect(meetings.locator("th")).to_have_text("Internationale koordinatorers netværksmøder")
    hours = meetings.locator("td.num").nth(1)
    assert hours.inner_text() == "10"
    assert hours.get_attribute("data-label") == "Timer om året"
    edge = hours.bounding_box()
    assert edge["x"] >= 0 and edge["x"] + edge["width"] <= 390


def test_the_search_box_at_the_top_works_without_javascript(no_js_page, live_server, demo):
    no_js_page.set_viewport_size({"width": 390, "height": 900})
    no_js_page.goto(live_server.url + "/en/")
    box = no_js_page.get_by_role("search", name="Search trips, budgets, grants and partner cities")
    box.get_by_label("Search trips, budgets, grants and partner cities").fill("Wuxi")
    box.get_by_role("button").click()
    no_js_page.wait_for_url("**/en/search/?q=Wuxi")
    expect(no_js_page.locator("main")).to_contain_text("Wuxi")

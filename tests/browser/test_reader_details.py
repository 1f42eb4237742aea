"""The small things a reader noticed (issue 31, "Smaller"), each walked in Chromium in
Danish, English and German at 1280 and 390 px: the trip list's year and order, the smiley
legend on a phone, landmarks with names of their own, the admin's breadcrumbs."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from budgets.models import BudgetLine, Initiative
from partnerships.models import CityNetwork
from tests.browser.helpers import axe_violations, log_in
from travel.models import TripTotal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["", "/en", "/de"]
WIDTHS = [1280, 390]


def landmarks_named_twice(page) -> list[str]:
    """axe's best-practice rule: two landmarks of a role may not share a name."""
    options = {"runOnly": {"type": "rule", "values": ["landmark-unique"]}}
    results = Axe().run(page, options=options).response["violations"]
    return [f"{v['id']}: {node['target']}" for v in results for node in v["nodes"]]


def test_the_year_filter_offers_the_years_with_trips_and_the_order_each_order_once(
    page, no_js_page, live_server, demo
):
    """The year was a bare number box, and "Nyeste først" and "Dato (aftagende)" were the
    same order offered twice. Without JavaScript: the year is chosen from a list of the
    years that have trips, the list shows that year's trips; a year typed into the address
    that is not a year is refused in the reader's language (axe, which needs JavaScript,
    reads the same pages in a second tab)."""
    years = sorted(
        {
            str(year)
            for year in TripTotal.objects.filter(trips__gt=0).values_list("year", flat=True)
        },
        reverse=True,
    )
    words = {
        "": ("Alle år", "Nyeste først", "Dato (aftagende)", "Filtrer", "Vælg et år fra 1900"),
        "/en": ("All years", "Newest first", "Date (descending)", "Filter", "Choose a year"),
        "/de": ("Alle Jahre", "Neueste zuerst", "Datum (absteigend)", "Filtern", "Wählen Sie"),
    }
    for width in WIDTHS:
        for tab in (page, no_js_page):
            tab.set_viewport_size({"width": width, "height": 900})
        for prefix in LANGUAGES:
            every, newest, descending, button, refused = words[prefix]
            no_js_page.goto(f"{live_server.url}{prefix}/trips/")
            year = no_js_page.locator("select#id_year")
            assert year.locator("option").all_inner_texts() == [every, *years]
            orders = no_js_page.locator("select#id_order option").all_inner_texts()
            assert orders[0] == newest and descending not in orders

            year.select_option(years[-1])
            no_js_page.get_by_role("button", name=button, exact=True).click()
            assert f"year={years[-1]}" in no_js_page.url
            assert no_js_page.locator("select#id_year").input_value() == years[-1]
            trips = no_js_page.locator("main table").first
            dates = trips.locator("tbody tr td:nth-child(2)").all_inner_texts()
            assert dates and all(years[-1] in text for text in dates)
            page.goto(no_js_page.url)
            assert axe_violations(page) == []

            no_js_page.goto(f"{live_server.url}{prefix}/trips/?year=last+year")
            assert refused in no_js_page.locator("#id_year_error").inner_text()
            error = no_js_page.locator("select#id_year")
            assert error.get_attribute("aria-invalid") == "true"
            page.goto(no_js_page.url)
            assert axe_violations(page) == []


def test_on_a_phone_each_smiley_of_the_legend_sits_beside_the_first_line_of_its_words(
    page, live_server, demo
):
    """At 390 px a face sat in the middle of its wrapped words while the others sat at
    their top, and the economy's two smileys ran on from "Economy:" in one line."""
    year = Initiative.objects.order_by("-budget_year__year").first().budget_year.year
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for prefix in LANGUAGES:
            page.goto(f"{live_server.url}{prefix}/follow-up/{year}/")
            smileys = page.locator(".legend-box .smiley")
            assert smileys.count() == 5
            tops = []
            for n in range(5):
                face = smileys.nth(n).locator("svg").bounding_box()
                words = smileys.nth(n).locator(".smiley-text").bounding_box()
                line = float(smileys.nth(n).evaluate("e => getComputedStyle(e).lineHeight")[:-2])
                assert abs(face["y"] + face["height"] / 2 - (words["y"] + line / 2)) < 4
                assert words["x"] + words["width"] <= width
                tops.append(face["y"])
            assert tops == sorted(tops) and len(set(tops)) == 5  # each on a line of its own
            assert axe_violations(page) == []


def test_every_landmark_of_the_network_and_api_pages_has_a_name_of_its_own(page, live_server, demo):
    network = CityNetwork.objects.order_by("pk").first()
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for prefix in LANGUAGES:
            for path in (network.get_absolute_url(), "/networks/", "/data/api/"):
                page.goto(live_server.url + prefix + path)
                found = landmarks_named_twice(page) + axe_violations(page)
                if found:
                    problems[f"{prefix}{path} at {width}"] = found
    assert problems == {}


def test_the_admins_breadcrumbs_are_told_from_their_text_by_more_than_colour(
    page, live_server, demo, administrator
):
    """axe: the breadcrumbs' links differed from the text around them by colour alone."""
    line = BudgetLine.objects.order_by("pk").first()
    log_in(page, live_server, administrator.username)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for prefix in LANGUAGES:
            page.goto(f"{live_server.url}{prefix}/admin/budgets/budgetline/{line.pk}/change/")
            link = page.locator("div.breadcrumbs a").first
            assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
            assert axe_violations(page) == []

"""A citizen follows a krone from the home page to what it paid for in at most three clicks:
a trip, a grant scheme's statistics, and a manual entry's public description."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def to_the_line(page, live_server, line_name: str) -> None:
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.locator("#main").get_by_role("link", name="Budget", exact=True).click()  # 1
    with page.expect_navigation():
        page.get_by_role("link", name=line_name).click()  # 2
    assert page.locator("h1").inner_text().startswith(line_name)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_krone_leads_to_a_trip(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 844})
    to_the_line(page, live_server, "Økonomiudvalget: kurser, konferencer og studieture")
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    with page.expect_navigation():
        page.get_by_role("link", name="Edge Cities Network").click()  # 3
    assert "Edge Cities Network" in page.locator("h1").inner_text()
    # And the trip leads back to the line that paid.
    assert page.get_by_role("link", name="Økonomiudvalget: kurser").count() == 1


def test_a_krone_leads_to_the_grant_statistics(page, live_server, demo):
    to_the_line(page, live_server, "Medarbejdernes studierejsefond")
    with page.expect_navigation():
        # The line says how its grants are counted and links the statistics, whether or not
        # a grant of it is published yet (the demo's are decided this month: not yet).
        page.get_by_role("link", name="Tilskudsstatistik").click()  # 3
    assert page.url.endswith("/grants/statistics/")


def test_a_krone_leads_to_a_manual_entrys_description(page, live_server, demo):
    to_the_line(page, live_server, "Netværk for lærere og aktører på skoleområdet")
    row = page.get_by_role("row", name="Netværksmøder for internationale koordinatorer")
    assert "kr." in row.inner_text()

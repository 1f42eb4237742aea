"""On a phone, the year's totals of the trips show the participants they divide by and mark
a total that includes a provisional trip, on the screen, beside their headings."""

import pytest
from playwright.sync_api import expect

# The demo's 2026: a trip of the Finance Committee (3 travellers, final) and one of the
# administration (3 officials and 2 other participants, provisional): 47,600 ÷ 8.
EXPECTED = {
    "": {
        "caption": "Pr. år",
        "participants": "Deltagere",
        "cost": "Udgift",
        "cost_lines": ["47.600\xa0kr.", "foreløbig"],
        "rule": "Deltagere er alle, der rejste",
    },
    "/en": {
        "caption": "Per year",
        "participants": "Participants",
        "cost": "Cost",
        "cost_lines": ["DKK\xa047,600", "provisional"],
        "rule": "Participants are everyone who travelled",
    },
    "/de": {
        "caption": "Je Jahr",
        "participants": "Teilnehmende",
        "cost": "Kosten",
        "cost_lines": ["47.600\xa0DKK", "vorläufig"],
        "rule": "Teilnehmende sind alle Mitreisenden",
    },
}


@pytest.mark.parametrize("prefix", EXPECTED)
def test_the_years_totals_show_participants_and_provisional_on_a_phone(
    page, live_server, demo, prefix
):
    expected = EXPECTED[prefix]
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}{prefix}/trips/")
    table = page.locator("main table", has=page.locator("caption", has_text=expected["caption"]))
    row = table.locator("tbody tr", has=page.locator("th", has_text="2026"))
    participants = row.locator(f'td[data-label="{expected["participants"]}"]')
    cost = row.locator(f'td[data-label="{expected["cost"]}"]')
    marker = cost.locator(".tag")
    for cell in (participants, cost, marker):
        cell.scroll_into_view_if_needed()
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, cell
    assert participants.inner_text() == "8"
    assert cost.inner_text().splitlines() == expected["cost_lines"]  # the marker under it
    # What the figures mean is said on the page, and is on the screen too.
    for text in (expected["rule"], marker.inner_text()):
        said = page.locator("main p", has_text=text).first
        said.scroll_into_view_if_needed()
        expect(said).to_be_visible()

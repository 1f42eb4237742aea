"""Every public and staff table and chart fits its box, in every language, at 1280 and 390 px.

At 1280 px the Danish trips table was 1,179 px in a 1,120 px box ("Pr. deltager" cut to
"8.383,"), German "Kosten" cut mid-number; at 390 px every data table scrolled sideways
with the amounts off-screen, and the election period's chart cut its labels. Now a data
table is a card per row on a phone ({% stacked_table %}, docs/decisions/narrow-tables.md)
and a figure is never broken or cut.

One browser, one page, one demo: every page in three languages at two widths (a single
test keeps it to one load of the demo).
"""

import pytest
from playwright.sync_api import expect

from budgets.models import BudgetLine, FollowUpRound, Initiative
from grants.models import GrantApplication
from partnerships.models import CityNetwork, PartnerCity
from tests.browser.helpers import axe_violations, log_in
from travel.selectors import published

LANGUAGES = ["", "/en", "/de"]
WIDTHS = [1280, 390]

# What the browser measures on a page: each problem as a sentence.
MEASURE = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  }
  const name = (element) => {
    const caption = element.querySelector('caption, title');
    const text = caption ? caption.textContent : element.outerHTML;
    return text.trim().slice(0, 60);
  };
  const parts = 'tbody td, tbody th, tfoot td, tfoot th, text, rect';
  for (const element of document.querySelectorAll('main table, main figure')) {
    const box = element.parentElement;
    const wide = Math.round(element.getBoundingClientRect().width);
    if (wide > box.clientWidth + 1) {
      problems.push(`${element.tagName} "${name(element)}" is ${wide} px in ${box.clientWidth}`);
    }
    const right = box.getBoundingClientRect().right;
    for (const part of element.querySelectorAll(parts)) {
      const edge = part.getBoundingClientRect();
      // A bar's outline past its SVG is cut off unless the SVG lets it show.
      const svg = part.ownerSVGElement;
      const clips = svg && getComputedStyle(svg).overflow !== 'visible';
      const limit = clips ? svg.getBoundingClientRect().right : right;
      const past = edge.right + parseFloat(part.getAttribute('stroke-width') || 0) / 2 - limit;
      if (edge.width && past > 1) {
        const what = (part.textContent || part.tagName).trim().slice(0, 40);
        problems.push(`"${what}" in "${name(element)}" ends ${Math.round(past)} px past its box`);
      }
    }
  }
  const figures = 'main td.num, main tbody th.num, main tfoot th.num';
  for (const cell of document.querySelectorAll(figures)) {
    if (cell.scrollWidth > cell.clientWidth + 1) {
      const size = `${cell.scrollWidth} > ${cell.clientWidth}`;
      problems.push(`the figure "${cell.textContent.trim()}" is cut: ${size}`);
    }
  }
  return problems;
}"""

# At 390 px the figures a reader came for are on the screen, each with its column's heading
# (a cell across several columns has none).
FIGURES_ON_SCREEN = """() => {
  const hidden = [];
  for (const cell of document.querySelectorAll('main table[data-stacked] td.num')) {
    const edge = cell.getBoundingClientRect();
    const text = cell.textContent.trim();
    if (edge.width && (edge.left < 0 || edge.right > document.documentElement.clientWidth)) {
      hidden.push(text);
    }
    if (!cell.dataset.label && cell.colSpan === 1 && text) hidden.push(`no label: ${text}`);
  }
  return hidden;
}"""


def _public_pages() -> list[str]:
    trip = published().order_by("-starts_on").first()
    traveller = trip.travellers.first().person
    line = BudgetLine.objects.filter(carries_over=True).order_by("-budget_year__year").first()
    year = line.budget_year.year
    follow_up = FollowUpRound.objects.order_by("-pk").first()
    city = PartnerCity.objects.order_by("pk").first()
    network = CityNetwork.objects.order_by("pk").first()
    pages = [
        "/trips/",
        trip.get_absolute_url(),
        "/trips/people/",
        traveller.get_absolute_url(),
        "/trips/overdue/",
        f"/budget/{year}/",
        f"/budget/{year}/lines/{line.code}/",
        "/follow-up/",
        "/partner-cities/",
        city.get_absolute_url(),
        "/networks/",
        network.get_absolute_url(),
        "/charters/",
        "/grants/statistics/",
        "/data/",
        "/data/api/",
    ]
    assert follow_up is not None
    return pages


def test_every_table_and_chart_fits_its_box_in_every_language_at_both_widths(
    page, live_server, demo
):
    pages = _public_pages()
    problems, checked = {}, 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for prefix in LANGUAGES:
            for path in pages:
                address = prefix + path
                response = page.goto(live_server.url + address)
                assert response.status == 200, address
                found = page.evaluate(MEASURE)
                if width == 390:
                    found += [f"off screen: {f}" for f in page.evaluate(FIGURES_ON_SCREEN)]
                if found:
                    problems[f"{address} at {width} px"] = found
                checked += page.locator("main table, main figure").count()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert checked > 100  # the pages had their tables and charts


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_on_a_phone_a_budget_row_reads_as_a_card_with_its_figures_labelled(
    page, live_server, demo, prefix
):
    """The budget at 390 px showed only each line's name and owner, every amount off-screen:
    now each line is a card whose amounts stand beside their headings."""
    page.set_viewport_size({"width": 390, "height": 900})
    line = BudgetLine.objects.order_by("-budget_year__year", "pk").first()
    page.goto(f"{live_server.url}{prefix}/budget/{line.budget_year.year}/")
    row = page.locator("main table[data-stacked] tbody tr").first
    remaining = row.locator("td.num").last
    heading = {"": "Restbeløb", "/de": "Verbleibend"}[prefix]
    assert remaining.get_attribute("data-label") == heading
    label = remaining.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == f'"{heading}"'
    box = remaining.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Still a table to a screen reader: its headings are in the page, only not drawn.
    assert page.get_by_role("columnheader", name=heading).count() >= 1


def test_a_table_that_still_scrolls_says_so(page, live_server, demo):
    """A table wider than its box (made so here: the demo's all fit) scrolls in it and
    says so under it; one that fits says nothing."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/de/trips/")
    cue = page.locator(".table-scroll .scroll-cue").first
    assert not cue.is_visible()
    page.locator("main table").first.evaluate("table => { table.style.minWidth = '2000px'; }")
    expect(cue).to_be_visible()  # once the browser has laid the wider table out
    assert cue.inner_text() == "Seitlich scrollen, um alle Spalten zu sehen."
    box = cue.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280


def _staff_pages() -> dict[str, list[str]]:
    """{role fixture: the staff pages with data tables that role reads}, with the demo's
    rows in them."""
    year = Initiative.objects.order_by("-budget_year__year").first().budget_year.year
    line = (
        BudgetLine.objects.filter(commitments__isnull=False)
        .order_by("-budget_year__year", "pk")
        .first()
    )
    paid = GrantApplication.objects.filter(paid_on__isnull=False).order_by("paid_on")
    period = f"?start={paid.first().paid_on:%Y-%m-%d}&end={paid.last().paid_on:%Y-%m-%d}"
    first_round = FollowUpRound.objects.order_by("position").first()
    return {
        "grant_officer": ["/staff/grants/?state=all", "/staff/grants/to-file/"],
        "finance_clerk": ["/staff/grants/payments/" + period],
        "secretary": [
            "/staff/trips/",
            f"/staff/follow-up/{year}/",
            f"/staff/follow-up/{year}/rounds/{first_round.code}/",
        ],
        "administrator": [f"/staff/budget/lines/{line.pk}/"],
        "coordinator": ["/staff/exchanges/"],
    }


def test_every_staff_table_fits_and_shows_its_figures_on_a_phone_in_every_language(
    page, live_server, demo, request
):
    """The officers' queue at 390 px hid every amount off-screen, as did the payment list,
    a budget line's bookings, the trips and the exchanges: staff tables are cards on a phone
    too, their figures on the screen beside their headings, and axe-clean."""
    problems, figures = {}, 0
    for role, pages in _staff_pages().items():
        user = request.getfixturevalue(role)
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, live_server, user.username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for prefix in LANGUAGES:
                for path in pages:
                    address = prefix + path
                    response = page.goto(live_server.url + address)
                    assert response.status == 200, address
                    found = page.evaluate(MEASURE) + axe_violations(page)
                    if width == 390:
                        found += [f"off screen: {f}" for f in page.evaluate(FIGURES_ON_SCREEN)]
                        figures += page.locator("main table[data-stacked] td.num").count()
                    if found:
                        problems[f"{role} {address} at {width} px"] = found
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert figures > 30  # the queue's, the payments', the bookings', the trips' amounts


@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
def test_on_a_phone_the_officers_queue_shows_each_amount_applied_for(
    page, live_server, demo, grant_officer, prefix
):
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, live_server, grant_officer.username)
    page.goto(f"{live_server.url}{prefix}/staff/grants/?state=all")
    heading = {"": "Ansøgt", "/en": "Applied for", "/de": "Beantragt"}[prefix]
    amounts = page.locator(f'main table[data-stacked] td.num[data-label="{heading}"]')
    assert amounts.count() == page.locator("main table.queue tbody tr").count() > 0
    for n in range(amounts.count()):
        box = amounts.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert "kr." in amounts.nth(n).inner_text() or "DKK" in amounts.nth(n).inner_text()
    label = amounts.first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == f'"{heading}"'

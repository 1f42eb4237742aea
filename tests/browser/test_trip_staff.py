"""A committee secretary corrects a published trip in Chromium; the public page shows it."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import WCAG_21_AA, log_in
from travel.models import Trip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_corrects_a_published_trip(page, live_server, demo, secretary):
    trip = Trip.objects.get(slug="2026-04-ecn-nacka")
    log_in(page, live_server, secretary.username)
    page.get_by_role("main").get_by_role("link", name="Udlandsrejser").click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    page.get_by_role("link", name=trip.title).click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    page.get_by_role("link", name="Rediger rejse, rejsende, program og regnskab").click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    page.get_by_role("textbox", name="Faktisk (inkl. moms) (række 2)").fill("9900")
    page.get_by_role("button", name="Gem").click()
    assert "skriv, hvad du har rettet" in page.get_by_role("alert").first.inner_text()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    page.get_by_role("textbox", name="Hvad er rettet").fill("hotelpris")
    page.get_by_role("button", name="Gem").click()
    assert "Rejsen er gemt." in page.get_by_role("status").first.inner_text()

    page.goto(live_server.url + trip.get_absolute_url())
    corrections = page.locator("ul.corrections").inner_text()
    assert ": hotelpris" in corrections
    # What changed, old and new, under the note.
    assert "Ophold, faktisk: var 9.420\xa0kr., nu 9.900\xa0kr." in corrections
    assert "Faktisk i alt: var 25.150\xa0kr., nu 25.630\xa0kr." in corrections
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    assert (
        trip.budget_line.commitments.filter(reverses__isnull=True, reversed_by__isnull=True)
        .get()
        .amount
        == 6980 + 9900 + 2750 + 6000
    )


@pytest.mark.parametrize("fixture", ["page", "no_js_page"])
def test_a_wrong_approval_date_is_shown_at_its_field_at_390_px(
    request, fixture, live_server, demo, secretary
):
    """The secretary records the committee's approval of the Nacka report with a meeting
    date before the trip's return: the page says so at the date field, keeps the committee,
    the agenda item and the link, and approves nothing."""
    page = request.getfixturevalue(fixture)
    page.set_viewport_size({"width": 390, "height": 844})
    trip = Trip.objects.get(slug="2026-04-ecn-nacka")
    log_in(page, live_server, secretary.username)
    page.goto(f"{live_server.url}/staff/trips/{trip.pk}/")
    page.get_by_label("Godkendt på mødet den").fill("2026-04-01")
    committee = page.get_by_label("Godkendt af (udvalg)")
    committee.select_option(index=1)
    chosen = committee.input_value()
    page.get_by_label("Dagsordenspunkt").fill("7")
    page.get_by_label("Link til referatet").fill("https://ballerup.dk/referat/7")
    page.get_by_role("button", name="Registrer godkendelsen og offentliggør rapporten").click()

    field = page.locator(".field-error")
    assert "Rapporten kan ikke godkendes, før rejsen er slut." in field.inner_text()
    assert field.get_by_label("Godkendt på mødet den").input_value() == "2026-04-01"
    assert page.get_by_label("Godkendt af (udvalg)").input_value() == chosen
    assert page.get_by_label("Dagsordenspunkt").input_value() == "7"
    assert page.get_by_label("Link til referatet").input_value() == "https://ballerup.dk/referat/7"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if fixture == "page":
        assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    trip.refresh_from_db()
    assert (trip.state, trip.report_approved_on) == ("published", None)


def test_the_public_trip_lists_its_travellers_in_the_order_entered(page, live_server, demo):
    trip = Trip.objects.get(slug="2025-05-kb-brandenburg")
    page.goto(live_server.url + trip.get_absolute_url())
    entered = [t.person.name for t in trip.travellers.order_by("pk")]
    shown = page.locator("main dd ul.plain li a").all_inner_texts()
    assert (
        shown
        == entered
        == [
            "Mette Holm",
            "Jens Kjær",
            "Susanne Bech",
            "Ali Hassan",
            "Louise Krogh",
        ]
    )

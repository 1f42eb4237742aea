"""A partner city's exchanges by year as a reader sees them in Chromium, in Danish, English
and German at 1280 and 390 px: the demo's East Kilbride shows 2009's three exchanges as one
row of several kinds and its other years as one line, a planned year says so, and the page
fits, keeps its figures on screen and is axe-clean (the finding: nine tables that each said
"fewer than 3 activities: not shown")."""

import datetime

from partnerships.enums import ExchangeKind, ExchangeStatus
from partnerships.models import PartnerCity
from tests.browser.helpers import axe_violations
from tests.browser.test_tables_fit import FIGURES_ON_SCREEN, LANGUAGES, MEASURE, WIDTHS
from tests.factories import ExchangeFactory

CITY = "east-kilbride-south-lanarkshire"

SAID = {
    "": ("2027: planlagt", "2002–2008, 2010: færre end 3 aktiviteter om året"),
    "/en": ("2027: planned", "2002–2008, 2010: fewer than 3 activities a year"),
    "/de": ("2027: geplant", "2002–2008, 2010: weniger als 3 Aktivitäten im Jahr"),
}


def test_the_partner_city_page_reads_and_fits_in_every_language_at_both_widths(
    page, live_server, demo
):
    city = PartnerCity.objects.get(slug=CITY)
    for month in (3, 4, 5):  # a planned year beside the demo's past
        ExchangeFactory(
            partner_city=city, kind=ExchangeKind.PUPIL_EXCHANGE, status=ExchangeStatus.PLANNED,
            starts_on=datetime.date(2027, month, 1), ends_on=datetime.date(2027, month, 8),
            pupils=18, teachers=2,
        )  # fmt: skip
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for prefix in LANGUAGES:
            address = f"{prefix}/partner-cities/{CITY}/"
            response = page.goto(live_server.url + address)
            assert response.status == 200, address
            section = page.locator("section[aria-labelledby=activity-heading]")
            captions = section.locator("caption").all_inner_texts()
            planned, quiet = SAID[prefix]
            assert captions == [planned, "2009"], address
            assert quiet in section.inner_text(), address
            found = page.evaluate(MEASURE)
            if width == 390:
                found += [f"off screen: {f}" for f in page.evaluate(FIGURES_ON_SCREEN)]
            found += axe_violations(page)
            if found:
                problems[f"{address} at {width} px"] = found
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())

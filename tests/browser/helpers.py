"""What the browser tests share: signing in, axe-core with the WCAG 2.1 AA rules, and an
applicant filling in the grant form."""

import datetime

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{violation['id']}: {node['target']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill("password")
    page.get_by_role("button", name="Log ind").click()


def fill_application(page, *, purpose: str, departure: datetime.date, partner_city="", place=""):
    """The grant form filled in as Jonas Berg, one participant, 8,000 kr. asked for 9,000 kr.
    of costs: to a partner city (chosen by its name) or another place."""
    page.locator("#id_applicant_name").fill("Jonas Berg")
    page.locator("#id_applicant_email").fill("jonas.berg@example.dk")
    page.locator("#id_purpose").fill(purpose)
    if partner_city:
        page.locator("#id_partner_city").select_option(label=partner_city)
    else:
        page.locator("#id_other_destination").fill(place)
    page.locator("#id_departs_on").fill(departure.isoformat())
    page.locator("#id_returns_on").fill((departure + datetime.timedelta(days=5)).isoformat())
    page.locator("#id_participants").fill("1")
    page.locator("#id_participants_under_25").fill("0")
    page.locator("#id_cost_travel").fill("6000")
    page.locator("#id_cost_accommodation").fill("3000")
    page.locator("#id_cost_other").fill("0")
    page.locator("#id_amount_requested").fill("8000")

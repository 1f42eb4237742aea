"""Travel grants in Chromium: an applicant's case page, and an officer deciding by keyboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from budgets.models import BudgetLine, Commitment
from grants.models import GrantApplication
from tests.browser.helpers import WCAG_21_AA, fill_application, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def remaining_on_page(page) -> int:
    """The remaining amount of the youth line, read as a citizen reads it ("61.500 kr.")."""
    cell = page.get_by_role("row", name="Tilskud til børn og unge").locator("td").last
    return int(cell.inner_text().replace("\u00a0kr.", "").replace(".", ""))


def test_the_applicants_case_pages_have_no_accessibility_violations(page, live_server, demo):
    for state in ("info_requested", "paid", "approved"):
        application = GrantApplication.objects.get(state=state)
        page.goto(live_server.url + application.get_case_url())
        assert page.locator("h1").inner_text() == "Din ansøgning"
        assert Axe().run(page, options=WCAG_21_AA).response["violations"] == [], state


def test_officer_approves_with_the_keyboard_and_the_budget_books_it(
    page, live_server, demo, grant_officer
):
    application = GrantApplication.objects.get(
        applicant_email="demo-2@example.dk"
    )  # 3,000 kr from INT-UNG
    page.goto(f"{live_server.url}/budget/")
    before = remaining_on_page(page)

    log_in(page, live_server, grant_officer.username)
    page.goto(f"{live_server.url}/staff/grants/")
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    # Find the application with the keyboard: Tab to its link, Enter.
    link = page.get_by_role("link", name=application.case_number, exact=True)
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/staff/grants/{application.pk}/")
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    amount = page.get_by_label("Beløb, der bevilges (kr.)")
    amount.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3000")
    page.keyboard.press("Tab")  # the reason
    page.keyboard.type("Praktikophold i partnerbyen.")
    page.keyboard.press("Tab")  # past the reasons of a partial grant, closed
    page.keyboard.press("Tab")  # the box saying what follows
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the button
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The page says what was done to which case and offers the next case needing them.
    main = page.locator("main").inner_text()
    assert f"Sag {application.case_number} bevilget: 3.000\u00a0kr. bogført på INT-UNG." in main
    assert "Næste sag, der venter på dig:" in main
    assert page.url.endswith(f"/staff/grants/{application.pk}/")
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    application.refresh_from_db()
    assert application.state == "approved"
    # Booked on the line at once, but public only with its month's batch of grants
    # (docs/security/small-groups.md): the citizen's budget does not move today.
    line = BudgetLine.objects.get(code="INT-UNG", budget_year__year=timezone.localdate().year)
    assert Commitment.objects.get(line=line, grant_application=application).amount == 3000
    page.goto(f"{live_server.url}/budget/")
    assert remaining_on_page(page) == before


@pytest.mark.parametrize("width", [390, 1280])
def test_an_officer_is_told_first_that_they_may_not_decide_their_own_case(
    page, live_server, demo, grant_officer, width
):
    page.set_viewport_size({"width": width, "height": 844})
    application = GrantApplication.objects.get(applicant_email="demo-2@example.dk")
    # The officer's own application, under a tagged spelling of their address.
    local, domain = grant_officer.email.split("@")
    # Through save(), which keeps the mailbox key the queue compares (grant-identity.md).
    application.applicant_email = f"{local.upper()}+rejse@{domain}"
    application.save(update_fields=["applicant_email"])

    log_in(page, live_server, grant_officer.username)
    page.goto(f"{live_server.url}/staff/grants/{application.pk}/")

    notice = page.get_by_role("alert")
    assert "Du må ikke afgøre denne sag." in notice.inner_text()
    assert "Du har selv søgt dette tilskud" in notice.inner_text()
    # The notice comes before the case's facts, and there is nothing to press.
    assert notice.bounding_box()["y"] < page.locator("dl.facts").first.bounding_box()["y"]
    main = page.locator("main")
    assert main.locator("form").count() == 0
    assert main.get_by_role("button").count() == 0
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    # The case is not in the officer's "needs my action" either.
    page.goto(f"{live_server.url}/staff/grants/")
    assert page.get_by_role("link", name=application.case_number, exact=True).count() == 0


@pytest.mark.parametrize("width", [390, 1280])
def test_an_applicant_goes_from_the_rules_to_the_confirmation_and_withdraws(
    page, live_server, demo, settings, width
):
    import datetime
    import re

    from django.utils import timezone

    from tests.conftest import deliver

    settings.GRANT_FORM_MIN_SECONDS = 1
    page.set_viewport_size({"width": width, "height": 844})
    departure = timezone.localdate() + datetime.timedelta(days=30)
    page.goto(f"{live_server.url}/grants/studierejsefond/apply/")
    rules = page.locator("section.scheme-rules")
    assert rules.bounding_box()["y"] < page.locator("#id_applicant_name").bounding_box()["y"]
    assert "Frist" in rules.inner_text() and "Det skal du vedhæfte" in rules.inner_text()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    # A failed submit: the focus moves to the error summary, and what was typed stays.
    page.locator("#id_applicant_name").fill("Jonas Berg")
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsæt og tjek dine svar").click()
    # autofocus is applied at the next rendering step after the page has loaded
    page.wait_for_function("document.activeElement.className === 'error-summary'")
    assert page.locator("#id_applicant_name").input_value() == "Jonas Berg"
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    fill_application(
        page, purpose="Jobskygning i Wuxis forvaltning", departure=departure, place="Wuxi"
    )
    page.wait_for_timeout(1100)  # a person takes longer than the bot trap's minimum
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsæt og tjek dine svar").click()

    # Check your answers: nothing sent yet; a change link per section keeps what was typed.
    assert page.locator("h1").inner_text() == "Tjek dine svar"
    main_text = page.locator("main").inner_text()
    assert "Jonas Berg" in main_text and "8.000\u00a0kr." in main_text
    assert not GrantApplication.objects.filter(applicant_email="jonas.berg@example.dk").exists()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    with page.expect_navigation():
        page.get_by_role("link", name="Ret rejsen").click()
    assert page.locator("#id_other_destination").input_value() == "Wuxi"
    page.locator("#id_other_destination").fill("Wuxi, Kina")
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsæt og tjek dine svar").click()
    assert "Wuxi, Kina" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Send ansøgningen").click()

    assert page.locator("h1").inner_text() == "Tjek din e-mail"
    application = GrantApplication.objects.get(applicant_email="jonas.berg@example.dk")
    assert application.state == "unconfirmed" and application.other_destination == "Wuxi, Kina"
    reference = page.locator("#reference").inner_text()
    assert str(application.pk) in reference and "jonas.berg@example.dk" in reference
    assert "Det sker nu" in page.content()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    (message,) = [m for m in deliver() if m.to == ["jonas.berg@example.dk"]]
    link = re.search(r"http://\S+", message.body)[0]
    page.goto(live_server.url + link.split("8000", 1)[1])
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    with page.expect_navigation():
        page.get_by_role("button", name="Bekræft min adresse, og send ansøgningen").click()

    assert "Tak. Din adresse er bekræftet, og ansøgningen er sendt." in page.content()
    assert "Sendt, venter på en sagsbehandler" in page.locator("#status").inner_text()
    assert "Wuxi, Kina" in page.locator("#applied-for").inner_text()
    application.refresh_from_db()
    assert application.state == "submitted"

    # Withdrawing asks first, on its own page, and says it cannot be undone.
    with page.expect_navigation():
        page.get_by_role("link", name="Træk ansøgningen tilbage").click()
    assert "Det kan ikke fortrydes." in page.content()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    with page.expect_navigation():
        page.get_by_role("link", name="Nej, behold den").click()
    application.refresh_from_db()
    assert application.state == "submitted"
    with page.expect_navigation():
        page.get_by_role("link", name="Træk ansøgningen tilbage").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, træk ansøgningen tilbage").click()
    assert "Trukket tilbage af dig" in page.locator("#status").inner_text()
    application.refresh_from_db()
    assert application.state == "withdrawn"


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Bevilget i"), ("/en", "Granted in"), ("/de", "Bewilligt")]
)
def test_a_reader_moves_between_the_years_of_the_grant_statistics_on_a_phone(
    page, live_server, demo, prefix, heading
):
    from django.utils import timezone

    from tests.factories import PartnerCityFactory
    from tests.portal.test_statistics import grant

    now = timezone.now()
    # Years before the demo's own decisions (dated up to eight months back).
    years = [now.year - 2, now.year - 3]
    for year, names in zip(years, (["Brno", "Nacka", "Wuxi"], ["Tartu"] * 3), strict=True):
        for name in names:
            grant(city=PartnerCityFactory(name=name), when=now.replace(year=year, month=6, day=1))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{prefix}/grants/statistics/")
    # The latest year with published decisions comes first: the demo's.
    assert page.locator("h2").first.inner_text() != f"{heading} {years[0]}"
    with page.expect_navigation():
        page.get_by_role("link", name=str(years[0]), exact=True).click()
    assert page.locator("h2").first.inner_text() == f"{heading} {years[0]}"
    assert "Brno, Nacka, Wuxi" in page.locator("main table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    with page.expect_navigation():
        page.get_by_role("link", name=str(years[1]), exact=True).click()
    assert page.locator("h2").first.inner_text() == f"{heading} {years[1]}"
    assert "Tartu" in page.locator("main table").inner_text()
    assert "Brno" not in page.locator("main table").inner_text()
    current = page.get_by_role("link", name=str(years[1]), exact=True)
    assert current.get_attribute("aria-current") == "page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []


@pytest.mark.parametrize(
    ("prefix", "link", "title"),
    [
        ("", "360Giving-data", "Rejsetilskud til børn og unge under 25: bevilget i"),
        ("/de", "360Giving-Daten", "Reisezuschüsse für Kinder und Jugendliche unter 25: bewilligt"),
    ],
)
def test_a_journalist_follows_the_statistics_to_the_360giving_file(
    page, live_server, demo, prefix, link, title
):
    import json

    page.goto(live_server.url + prefix + "/grants/statistics/")
    page.get_by_role("link", name=link).click()
    document = json.loads(page.locator("body").inner_text())
    (grant,) = document["grants"]
    assert grant["title"].startswith(title)
    assert grant["recipientIndividual"]["name"] == "Individual Recipient"
    # What the statistics page shows for the year, and nothing about who applied.
    assert grant["amountAwarded"] == 29500
    text = json.dumps(document, ensure_ascii=False)
    names = GrantApplication.objects.values_list("applicant_name", flat=True)
    assert [name for name in names if name and name in text] == []

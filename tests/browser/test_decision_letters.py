"""Deciding with reasons and writing letter templates, in Chromium: an officer's refused
rejection shows the error at the rules and keeps the text; an administrator previews a
letter template."""

import pytest

from grants.models import GrantApplication, LetterTemplate
from tests.browser.helpers import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_an_officer_rejects_only_with_a_rule_of_the_scheme(
    page, live_server, demo, grant_officer, width
):
    page.set_viewport_size({"width": width, "height": 900})
    application = GrantApplication.objects.get(applicant_email="demo-2@example.dk")  # in review
    log_in(page, live_server, grant_officer.username)
    page.goto(f"{live_server.url}/staff/grants/{application.pk}/")
    reject = page.locator("form").filter(has=page.get_by_role("button", name="Afslå ansøgningen"))
    rules = reject.get_by_role("group", name="Puljens regler, som afgørelsen hviler på")
    assert "Hjemmel: Ballerup Kommunes internationale strategi" in rules.inner_text()
    # The approval's rules wait behind a summary until a partial grant needs them.
    assert page.get_by_text("Bevilges mindre end ansøgt: de regler").is_visible()

    reject.get_by_label("Begrundelse for afslaget").fill("Opholdet er ikke i en samarbejdsby.")
    with page.expect_navigation():
        reject.get_by_role("button", name="Afslå ansøgningen").click()
    reject = page.locator("form").filter(has=page.get_by_role("button", name="Afslå ansøgningen"))
    assert "Vælg den regel i puljen, som afgørelsen hviler på." in reject.inner_text()
    assert reject.get_by_label("Begrundelse for afslaget").input_value() == (
        "Opholdet er ikke i en samarbejdsby."
    )
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert GrantApplication.objects.get(pk=application.pk).state == "in_review"

    reject.get_by_label("Puljens formål (en vurdering)").check()
    page.locator("#reject_understood").check()  # the box saying what follows
    with page.expect_navigation():
        reject.get_by_role("button", name="Afslå ansøgningen").click()
    assert f"Sag {application.case_number} afslået" in page.inner_text("body")
    decided = GrantApplication.objects.get(pk=application.pk)
    assert (decided.state, decided.decision_rules) == ("rejected", ["purpose"])


def test_an_administrator_writes_a_letter_template_and_previews_it(
    page, live_server, demo, administrator
):
    log_in(page, live_server, administrator.username)
    page.goto(f"{live_server.url}/admin/grants/lettertemplate/add/?kind=rejection&language=da")
    assert page.get_by_label("Overskrift").input_value() == "Din ansøgning er afslået"
    page.get_by_label("Overskrift").fill("Afslag på din ansøgning {case_number}")
    page.locator("#id_body").fill("Kære {navn}")
    page.locator("input[name=_continue]").click()
    assert "“{navn}” er ikke en pladsholder" in page.locator("#content").inner_text()
    assert LetterTemplate.objects.count() == 0

    page.locator("#id_body").fill("Kære {applicant}\n\nVi har set på sagen.")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    preview = page.locator(".letter-preview")
    assert preview.inner_text().startswith("Afslag på din ansøgning 20")
    assert "Kære Sofie Jensen" in preview.inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Hele brevet i en eksempelsag").click()
    letter = page.locator("body").inner_text()
    assert "Vi har set på sagen." in letter
    assert "Klagevejledning" in letter and "Folketingets Ombudsmand" in letter
    assert "Afgjort af Anna Berg, sagsbehandler." in letter

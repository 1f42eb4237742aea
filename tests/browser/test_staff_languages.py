"""The staff pages and the admin in German and English, as a phone shows them: no axe-core
violations, nothing wider than 390 px, and the page in the language asked for."""

import pytest

from tests.browser.helpers import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = [
    "/staff/",
    "/staff/grants/",
    "/staff/trips/",
    "/staff/trips/new/",
    "/staff/exchanges/",
    "/staff/exchanges/new/",
    "/staff/follow-up/2026/",
    "/admin/",
    "/admin/budgets/linekind/",
    "/admin/portal/sitesettings/1/change/",
]


@pytest.mark.parametrize(("prefix", "language"), [("/de", "de"), ("/en", "en")])
def test_staff_pages_in_other_languages_on_a_phone(
    page, live_server, demo, administrator, prefix, language
):
    administrator.is_superuser = True
    administrator.save()
    log_in(page, live_server, "administrator")
    page.set_viewport_size({"width": 390, "height": 844})
    problems = {}
    for path in STAFF_PAGES:
        response = page.goto(live_server.url + prefix + path)
        assert response.status == 200, path
        if page.locator("html").get_attribute("lang") != language:
            problems[path] = "lang"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390 and not path.startswith("/admin/"):  # Django's admin scrolls its tables
            problems[path + " (width)"] = width
        if not path.startswith("/admin/") and (violations := axe_violations(page)):
            problems[path + " (axe)"] = violations
    assert problems == {}

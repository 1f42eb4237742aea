"""Every URL, for every persona: allowed or refused, never a server error.

The matrix must name every URL in the URLconf: a new URL without a row here
fails `test_every_url_is_in_the_matrix`.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from budgets.services import book_commitment
from partnerships.models import CharterAttachment
from tests.conftest import PERSONAS
from tests.factories import (
    BudgetLineFactory,
    CharterFactory,
    ExchangeFactory,
    GrantApplicationFactory,
    InitiativeFactory,
    PartnerCityFactory,
    PersonFactory,
    TripFactory,
)
from tests.portal.test_statistics import LAST_MONTH, grant

ROLES = ["coordinator", "grant_officer", "secretary", "administrator", "finance_clerk"]
PUBLIC = dict.fromkeys(PERSONAS, 200)


def only(*allowed: str) -> dict:
    """200 for the allowed; anonymous goes to the login page; everybody else gets 403."""
    return {
        persona: 200 if persona in allowed else 302 if persona == "anonymous" else 403
        for persona in PERSONAS
    }


MATRIX = {
    "home": PUBLIC,
    "partnerships:city_list": PUBLIC,
    "partnerships:city_detail": PUBLIC,
    "partnerships:network_list": PUBLIC,
    "partnerships:network_detail": PUBLIC,
    "partnerships:charter_list": PUBLIC,
    "partnerships:charter_detail": PUBLIC,
    "partnerships:charter_attachment": PUBLIC,
    "login": {persona: 200 if persona == "anonymous" else 302 for persona in PERSONAS},
    "logout": dict.fromkeys(PERSONAS, 405),  # POST only
    "set_language": dict.fromkeys(PERSONAS, 302),  # a GET just goes back
    "staff_dashboard": only(*ROLES),
    "partnerships:exchange_list": only("coordinator", "administrator"),
    "partnerships:exchange_create": only("coordinator", "administrator"),
    # The coordinator registered the exchange in `objects`.
    "partnerships:exchange_edit": only("coordinator", "administrator"),
    "partnerships:exchange_detail": only("coordinator", "administrator"),
    "budgets:index": dict.fromkeys(PERSONAS, 302),  # to the current year
    "budgets:year": PUBLIC,
    "budgets:staff_time": PUBLIC,
    "budgets:year_csv": PUBLIC,
    "budgets:line": PUBLIC,
    "budgets:follow_up_index": dict.fromkeys(PERSONAS, 302),  # to the latest year
    "budgets:follow_up": PUBLIC,
    "budgets:follow_up_pdf": PUBLIC,
    "budgets:line_detail": only("administrator"),
    # POST only: anonymous is sent to log in first.
    "budgets:commitment_reverse": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "budgets:staff_follow_up": only("secretary", "administrator"),
    "budgets:follow_up_csv": only("secretary", "administrator"),
    "budgets:follow_up_round": only("secretary", "administrator"),
    "budgets:initiative_create": only("secretary", "administrator"),
    "budgets:initiative_edit": only("secretary", "administrator"),
    "travel:list": PUBLIC,
    "travel:feed": PUBLIC,
    "travel:overdue": PUBLIC,
    "travel:person": PUBLIC,
    "travel:people": PUBLIC,
    "travel:trip": PUBLIC,
    "travel:trip_pdf": PUBLIC,
    "travel:staff_list": only("secretary", "administrator"),
    "travel:trip_create": only("secretary", "administrator"),
    "travel:staff_trip": only("secretary", "administrator"),
    "travel:trip_edit": only("secretary", "administrator"),
    "travel:trip_publish": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "travel:trip_unpublish": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "travel:trip_approve_report": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    # Applicants have no account: their case is reached by its private link.
    "grants:schemes": PUBLIC,
    "grants:statistics": PUBLIC,
    "grants:statistics_year": PUBLIC,
    "grants:statistics_360": PUBLIC,
    "grants:apply": PUBLIC,
    "grants:submitted": PUBLIC,
    # Without a draft in the visitor's session, checking answers sends them to the form.
    "grants:check": dict.fromkeys(PERSONAS, 302),
    "grants:withdraw": PUBLIC,
    "grants:case": PUBLIC,
    "grants:case_letter": PUBLIC,
    "grants:queue": only("grant_officer"),
    "grants:queue_csv": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "grants:queue_batch": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "grants:officer_case": only("grant_officer"),
    "grants:officer_letter": only("grant_officer"),
    "grants:officer_action": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "grants:officer_attachment": only("grant_officer"),
    # The finance department's payment list: the finance clerk's one page.
    "grants:payments": only("grant_officer", "administrator", "finance_clerk"),
    "grants:payment_download": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "grants:to_file": only("grant_officer"),
    "grants:officer_journal": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "grants:officer_archive": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    "grants:officer_filed": {p: 302 if p == "anonymous" else 405 for p in PERSONAS},
    # Open data: public, the same for everybody.
    "search": PUBLIC,
    "data": PUBLIC,
    "data_catalog": PUBLIC,
    "api_docs": PUBLIC,
    "data_package": PUBLIC,
    "robots_txt": PUBLIC,
    "sitemap": PUBLIC,
    "sitemap_section": PUBLIC,
    "api:root": PUBLIC,
    "api:schema": PUBLIC,
    "api:partner-city-list": PUBLIC,
    "api:partner-city-detail": PUBLIC,
    "api:network-list": PUBLIC,
    "api:network-detail": PUBLIC,
    "api:exchange-statistics-list": PUBLIC,
    "api:budget-year-list": PUBLIC,
    "api:budget-year-detail": PUBLIC,
    "api:trip-list": PUBLIC,
    "api:trip-detail": PUBLIC,
    "api:grant-statistics-list": PUBLIC,
}
REDIRECTS_ELSEWHERE = {
    "login",
    "set_language",
    "budgets:index",
    "budgets:follow_up_index",
    "grants:check",  # to the form, without a draft
}


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the Django admin has its own permission checks
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    assert _url_names(get_resolver()) == set(MATRIX)


@pytest.fixture
def objects(db, coordinator):
    city = PartnerCityFactory(slug="wuxi")
    charter = CharterFactory(slug="charter")
    attachment = CharterAttachment(charter=charter, title="Charter text")
    attachment.file.save("charter.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    exchange = ExchangeFactory(partner_city=city, registered_by=coordinator)
    line = BudgetLineFactory(budget_year__year=2026)
    commitment = book_commitment(
        line=line, amount=100, description="Test", source="grant_decision", actor=None
    )
    initiative = InitiativeFactory(budget_year=line.budget_year)
    application = GrantApplicationFactory()
    application.decision_letter.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    grant_attachment = application.attachments.create(
        file=ContentFile(b"%PDF-1.4", name="a.pdf"), name="a.pdf"
    )
    person = PersonFactory(name="Mette Holm")
    trip = TripFactory(slug="wuxi-2025", travellers=[person], costs=[("transport", 100, 90)])
    for _ in range(3):  # enough to publish (STATISTICS_MIN_GROUP), so the 360Giving file exists
        grant(city=city, when=timezone.now() - LAST_MONTH)
    return {
        "grants:statistics_year": [(timezone.now() - LAST_MONTH).year],
        "grants:apply": [application.scheme.slug],
        "grants:case": [application.token],
        "grants:check": [application.scheme.slug],
        "grants:withdraw": [application.token],
        "grants:case_letter": [application.token],
        "grants:officer_case": [application.pk],
        "grants:officer_letter": [application.pk],
        "grants:officer_action": [application.pk, "review"],
        "grants:officer_attachment": [grant_attachment.pk],
        "grants:officer_journal": [application.pk],
        "grants:officer_archive": [application.pk],
        "grants:officer_filed": [application.pk],
        "travel:person": [person.slug],
        "travel:trip": [trip.slug],
        "travel:trip_pdf": [trip.slug],
        "travel:staff_trip": [trip.pk],
        "travel:trip_edit": [trip.pk],
        "travel:trip_publish": [trip.pk],
        "travel:trip_unpublish": [trip.pk],
        "travel:trip_approve_report": [trip.pk],
        "budgets:year": [2026],
        "budgets:year_csv": [2026],
        "budgets:line": [2026, line.code],
        "budgets:follow_up": [2026],
        "budgets:follow_up_pdf": [2026],
        "budgets:line_detail": [line.pk],
        "budgets:commitment_reverse": [commitment.pk],
        "budgets:staff_follow_up": [2026],
        "budgets:follow_up_csv": [2026],
        "budgets:follow_up_round": [2026, "first"],
        "budgets:initiative_edit": [initiative.pk],
        "partnerships:city_detail": [city.slug],
        "partnerships:network_detail": [charter.network.slug],
        "partnerships:charter_detail": [charter.slug],
        "partnerships:charter_attachment": [charter.slug, attachment.pk],
        "partnerships:exchange_edit": [exchange.pk],
        "partnerships:exchange_detail": [exchange.pk],
        "sitemap_section": ["trips"],
        "api:partner-city-detail": [city.slug],
        "api:network-detail": [charter.network.slug],
        "api:budget-year-detail": [2026],
        "api:trip-detail": [trip.slug],
        "data_package": ["trips"],
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_access(name, persona, objects, persona_client):
    client = persona_client(persona)
    url = reverse(name, args=objects.get(name, []))
    response = client.get(url)
    expected = MATRIX[name][persona]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302 and name not in REDIRECTS_ELSEWHERE:
        assert response["Location"].startswith(reverse("login"))
    if expected == 403:
        assert "Du har ikke adgang til denne side" in response.content.decode()

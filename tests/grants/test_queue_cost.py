"""The officers' queue reads its page's rows, not every open case: sorted on an index, the
facts its words need read for the page's rows only (grants.status.queue_facts)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from grants.models import ApprovalProposal, GrantApplication
from grants.permissions import conflicted_cases
from grants.selectors import officer_cases
from grants.status import officer_waiting, queue_facts
from portal.pagination import PAGE_SIZE
from tests.factories import GrantApplicationFactory, PartnerCityFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationState
START = timezone.make_aware(datetime.datetime(2026, 3, 1, 9))


def make_cases(count: int, officer, other) -> None:
    """`count` open cases of every kind the queue shows: new ones, in review with the
    officer's own proposal or another's, answered by the applicant, asked, granted, one the
    officer is linked to and one they applied for themselves. Several came in at the same
    moment and ask the same amount, so the order's ties are broken by the case's key."""
    city = PartnerCityFactory()
    states = [S.SUBMITTED, S.IN_REVIEW, S.IN_REVIEW, S.IN_REVIEW, S.INFO_REQUESTED, S.APPROVED]
    for n in range(count):
        state = states[n % len(states)]
        case = GrantApplicationFactory(
            state=state,
            partner_city=city,
            applicant_name=f"Ansøger {n}",
            amount_requested=Decimal(1000 * (n % 7)),
            amount_granted=Decimal("500") if state == S.APPROVED else None,
            applicant_email=officer.email if n == 3 else f"a{n}@example.dk",
        )
        # Came in in threes at the same moment, not in the order the keys were given.
        GrantApplication.objects.filter(pk=case.pk).update(
            submitted_at=START + datetime.timedelta(hours=(n * 7) % count // 3)
        )
        if state == S.IN_REVIEW and n % 4 == 1:
            by = officer if n % 8 == 1 else other
            ApprovalProposal.objects.create(application=case, amount=Decimal(900), proposed_by=by)
        if state == S.IN_REVIEW and n % 4 == 2:
            case.messages.create(text="Hvor mange?")
            case.messages.create(text="Ti.", from_applicant=True)
        if n == 8:
            case.linked_officers.add(officer)


def reference(officer, state: str, order: str) -> list[tuple[str, str]]:
    """The queue as plain Python would make it: every case with its facts, filtered and
    sorted by hand, the case's key breaking ties in the order's direction."""
    cases = queue_facts(officer_cases(), officer)
    conflicted = set(officer_cases().filter(conflicted_cases(officer)).values_list("pk", flat=True))
    if state == "needs_action":
        cases = [
            case
            for case in cases
            if officer_waiting(case, officer).mine and case.pk not in conflicted
        ]
    field = {"age": "submitted_at", "amount": "amount_requested"}[order.lstrip("-")]
    cases.sort(key=lambda case: (getattr(case, field), case.pk), reverse=order.startswith("-"))
    return [(case.applicant_name, officer_waiting(case, officer).what) for case in cases]


def shown(client, **params) -> tuple[list[tuple[str, str]], int]:
    page = client.get(reverse("grants:queue"), params).context["page"]
    rows = [(case.applicant_name, case.waiting.what) for case in page]
    return rows, page.paginator.count


@pytest.mark.parametrize("state", ["needs_action", "all"])
@pytest.mark.parametrize("order", ["age", "-age", "amount", "-amount"])
def test_the_queue_s_first_page_shows_the_cases_and_words_of_the_whole_queue_sorted(
    client, grant_officer, state, order
):
    """The first page is the first PAGE_SIZE cases of the whole queue, filtered and sorted
    by hand, with the same words for what waits on each (a proposal, an answer, a link),
    and the count is the whole queue's."""
    make_cases(PAGE_SIZE + 30, grant_officer, UserFactory(username="bo", email="bo@kommune.dk"))
    client.force_login(grant_officer)
    expected = reference(grant_officer, state, order)
    rows, count = shown(client, state=state, order=order)
    assert len(expected) > PAGE_SIZE
    assert rows == expected[:PAGE_SIZE]
    assert count == len(expected)
    second, _ = shown(client, state=state, order=order, page=2)
    assert second == expected[PAGE_SIZE : 2 * PAGE_SIZE]


def test_the_queue_reads_the_same_queries_for_a_long_queue_as_for_a_longer_one(
    client, grant_officer, django_assert_max_num_queries
):
    """Past its first page (counted), the queue makes as many queries for twice the cases,
    each with its facts (proposals, the applicant's answers, linked officers)."""
    other = UserFactory(username="bo", email="bo@kommune.dk")
    make_cases(PAGE_SIZE + 10, grant_officer, other)
    client.force_login(grant_officer)
    for state in ("needs_action", "all"):
        with django_assert_max_num_queries(25) as few:
            assert client.get(reverse("grants:queue"), {"state": state}).status_code == 200
        counted = len(few.captured_queries)
        make_cases(PAGE_SIZE + 10, grant_officer, other)
        with django_assert_max_num_queries(counted):
            assert client.get(reverse("grants:queue"), {"state": state}).status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the query plans of PostgreSQL, where national scale runs",
)
@pytest.mark.parametrize("order", ["age", "-age", "amount", "-amount"])
@pytest.mark.parametrize("state", ["needs_action", "all"])
def test_every_order_of_the_queue_reads_an_index_instead_of_sorting_every_case(
    client, grant_officer, order, state
):
    """Each order of the queue (and its key tie-break, in the same direction) is one an
    index holds, so the page reads its rows in order instead of sorting every open case;
    the page's query computes no fact per case. With sorting priced out, a plan that still
    sorts means the order and the index differ."""
    make_cases(12, grant_officer, UserFactory(username="bo", email="bo@kommune.dk"))
    client.force_login(grant_officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("grants:queue"), {"state": state, "order": order})
        assert response.status_code == 200
    (listed,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "grants_grantapplication"."id"')
        and query["sql"].endswith(f" LIMIT {PAGE_SIZE + 1}")
    ]
    assert "grants_applicationmessage" not in listed
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + listed)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Sort" not in plan, plan
    assert "application_queue_by_" in plan, plan

"""The demo shows four eyes and published grant statistics (issue 30: it had one officer,
no case above the four-eyes amount, and every decision made "now")."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from grants.enums import ApplicationState
from grants.models import ApprovalProposal, GrantApplication
from grants.permissions import is_grant_officer
from portal.models import DemoAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    # Demo logins are signed in only while DEBUG is on, as with `make run`.
    call_command("load_demo", "--logins", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_has_two_officer_logins_and_a_proposal_awaiting_the_second(client, demo):
    users = get_user_model().objects
    first, second = users.get(username="sagsbehandler"), users.get(username="sagsbehandler2")
    assert is_grant_officer(first) and is_grant_officer(second)
    assert DemoAccount.objects.filter(user__in=[first, second]).count() == 2
    proposal = ApprovalProposal.objects.get(closed_at=None)
    case = proposal.application
    assert (proposal.proposed_by, proposal.amount, case.state) == (
        first,
        Decimal("15000.00"),
        ApplicationState.IN_REVIEW,
    )
    page_url = reverse("grants:officer_case", args=[case.pk])

    client.force_login(first)
    own = client.get(page_url).content.decode()
    assert "Du har selv stillet forslaget: en anden sagsbehandler skal bekræfte det." in own
    client.force_login(second)
    theirs = client.get(page_url).content.decode()
    assert "Bekræft bevillingen på 15.000\xa0kr." in theirs

    client.post(
        reverse("grants:officer_action", args=[case.pk, "confirm"]),
        {"proposal": proposal.pk, "amount": "15000.00", "understood": "on"},
    )
    case.refresh_from_db()
    assert (case.state, case.amount_granted, case.decided_by) == (
        ApplicationState.APPROVED,
        Decimal("15000.00"),
        second,
    )


def test_the_demo_publishes_grant_statistics_for_months_that_have_ended(client, demo):
    from collections import Counter

    from portal.statistics import published_until

    ended = GrantApplication.objects.filter(decided_at__lt=published_until())
    assert ended.count() == 7  # the demo's decisions dated in earlier months
    youth = Counter(case.decided_at.year for case in ended.filter(scheme__slug="ungdomsrejser"))
    year, decided = youth.most_common(1)[0]  # one year, unless they span New Year
    page = client.get(reverse("grants:statistics_year", args=[year])).content.decode()
    row = re.search(r">Rejsetilskud til børn og unge under 25</th>(.*?)</tr>", page, re.S)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    if decided >= 3:
        assert re.fullmatch(r"\d+", cells[0]) and int(cells[0]) >= 3, cells
        assert re.fullmatch(r"[\d.]+\xa0kr\.", cells[1]), cells
    else:
        assert cells[0] == "færre end 3"

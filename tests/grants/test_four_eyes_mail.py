"""Who is told that a proposal awaits a second officer: officers with the role, and nobody
else (issue 30: a superuser without the role was mailed)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.enums import ApplicationState
from grants.models import ApprovalProposal
from portal.models import SiteSettings
from tests.conftest import deliver
from tests.factories import GrantApplicationFactory, UserFactory
from tests.grants.conftest import officer

pytestmark = pytest.mark.django_db


def test_a_proposal_is_mailed_to_officers_with_the_role_only(client, line):
    anna, bo = officer("anna"), officer("bo")
    UserFactory(username="root", email="root@kommune.example", is_superuser=True, is_staff=True)
    left = officer("left")
    left.is_active = False
    left.save()
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 1000}
    )
    application = GrantApplicationFactory(
        state=ApplicationState.IN_REVIEW, amount_requested=Decimal("12000")
    )
    client.force_login(anna)

    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"amount": "12000", "reason": "", "understood": "on"},
    )

    assert ApprovalProposal.objects.filter(application=application).exists()
    sent = deliver()
    assert [(mail.to, "bekræft" in mail.subject + mail.body) for mail in sent] == [
        ([bo.email], True)
    ]

"""What an applicant writes through the private link has a length (GRANT_REPLY_MAX_CHARS):
an answer, hearing comments or a report over it gets the form's message at the field, the
text is kept in the form, and nothing reaches the case, the history or the outbox."""

import datetime

import pytest
from django.utils import timezone

from grants.enums import ApplicationState as S
from grants.models import ApplicationEvent, ApplicationMessage, GrantApplication
from portal.models import OutboxMail
from tests.factories import GrantApplicationFactory
from tests.formdata import REPORTED_COSTS

pytestmark = pytest.mark.django_db


def snapshot(application):
    case = GrantApplication.objects.get(pk=application.pk)
    return (
        case.state,
        case.report,
        case.report_submitted_at,
        ApplicationMessage.objects.count(),
        ApplicationEvent.objects.count(),
        OutboxMail.objects.count(),
    )


@pytest.mark.parametrize(
    ("state", "action", "field", "extra"),
    [
        (S.INFO_REQUESTED, "answer", "text", {}),
        (S.HEARING, "comment", "text", {}),
        (S.PAID, "report", "report", {**REPORTED_COSTS, "taken_place": "on"}),
    ],
)
def test_an_over_long_reply_is_refused_at_the_field_and_nothing_is_stored(
    client, settings, state, action, field, extra
):
    settings.GRANT_REPLY_MAX_CHARS = 50
    today = timezone.localdate()
    application = GrantApplicationFactory(
        state=state,
        departs_on=today - datetime.timedelta(days=10),
        returns_on=today - datetime.timedelta(days=3),
        hearing_deadline=today + datetime.timedelta(days=14) if state == S.HEARING else None,
    )
    before = snapshot(application)
    typed = "Vi var ti deltagere. " * 5  # 104 characters once the last space is stripped
    response = client.post(application.get_case_url(), {"action": action, field: typed, **extra})
    page = response.content.decode()
    assert "Denne værdi må højst have 50 tegn (den har 104)." in page  # Django's, in Danish
    assert typed.strip() in page  # what was typed is kept in the form
    assert 'maxlength="50"' in page
    assert snapshot(application) == before

"""Who works on a case (take, hand over, unassign), the queue's filters by assignee, the
caseload, the decision deadline with its overdue flag, and the search."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState, EventKind
from grants.models import ApplicationEvent, GrantApplication
from portal.models import AuditEntry, OutboxMail
from tests.factories import GrantApplicationFactory, GrantSchemeFactory, UserFactory
from tests.grants.conftest import officer

pytestmark = pytest.mark.django_db
S = ApplicationState


def act(application, action: str) -> str:
    return reverse("grants:officer_action", args=[application.pk, action])


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.replace("\xa0", " ").split())


def queue(client, **params) -> list[str]:
    page = client.get(reverse("grants:queue"), params).context["page"]
    return sorted(application.applicant_name for application in page)


def footprint(application) -> tuple:
    """What taking, handing over or unassigning could change."""
    application = GrantApplication.objects.get(pk=application.pk)
    return (
        application.state,
        application.assignee_id,
        ApplicationEvent.objects.count(),
        AuditEntry.objects.count(),
        OutboxMail.objects.count(),
        len(mail.outbox),
    )


@pytest.fixture
def anna():
    return officer("anna", "anna@kommune.dk")


@pytest.fixture
def bo():
    return officer("bo", "bo@kommune.dk")


def test_an_officer_takes_hands_over_and_unassigns_a_case_without_moving_it(client, anna, bo):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(anna)

    response = client.post(act(application, "take"), follow=True)
    assert f"Sag {application.case_number} er nu din." in page_text(response)
    assert "Tildelt anna (dig)" in page_text(response)
    application.refresh_from_db()
    assert (application.assignee, application.state) == (anna, S.IN_REVIEW)

    response = client.post(act(application, "hand_over"), {"to": bo.pk}, follow=True)
    assert f"Sag {application.case_number} er overdraget til bo." in page_text(response)
    application.refresh_from_db()
    assert (application.assignee, application.state) == (bo, S.IN_REVIEW)

    response = client.post(act(application, "unassign"), follow=True)
    assert f"Sag {application.case_number}: sagen er nu ikke tildelt nogen." in page_text(response)
    application.refresh_from_db()
    assert (application.assignee, application.state) == (None, S.IN_REVIEW)

    events = list(
        application.events.values_list("kind", "officer__username", "second_officer__username")
    )
    assert events == [
        (EventKind.ASSIGNED, "anna", "anna"),
        (EventKind.ASSIGNED, "anna", "bo"),
        (EventKind.UNASSIGNED, "anna", None),
    ]
    audit = list(
        AuditEntry.objects.order_by("pk").values_list("action", "actor__username", "summary")
    )
    assert audit == [
        ("grant.take", "anna", f"#{application.pk}: - → anna"),
        ("grant.hand_over", "anna", f"#{application.pk}: anna → bo"),
        ("grant.unassign", "anna", f"#{application.pk}: bo → -"),
    ]
    history = page_text(client.get(reverse("grants:officer_case", args=[application.pk])))
    assert "Sagen tildelt (anna, til bo)" in history
    assert "Sagen frigivet (anna)" in history
    assert mail.outbox == [] and OutboxMail.objects.count() == 0


def test_a_case_is_handed_only_to_an_officer_who_may_take_it(client, anna, bo):
    clerk = UserFactory(username="clerk")  # no role
    linked = officer("linked", "linked@kommune.dk")
    application = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="own@kommune.dk")
    own = officer("own", "Own@Kommune.dk")  # applied for the case themselves
    application.linked_officers.add(linked)
    client.force_login(anna)
    page = client.get(reverse("grants:officer_case", args=[application.pk]))
    assert list(page.context["forms"]["hand_over"].candidates.values()) == [bo]
    for target in (clerk, linked, own, anna):
        before = footprint(application)
        response = client.post(act(application, "hand_over"), {"to": target.pk})
        assert response.status_code == 400, target
        assert "Vælg en sagsbehandler på listen." in page_text(response)
        assert footprint(application) == before


@pytest.mark.parametrize("persona", ["coordinator", "secretary", "no_role"])
@pytest.mark.parametrize("action", ["take", "hand_over", "unassign"])
def test_only_an_officer_assigns(client, request, persona, action, anna):
    application = GrantApplicationFactory(state=S.IN_REVIEW, assignee=anna)
    client.force_login(request.getfixturevalue(persona))
    before = footprint(application)
    response = client.post(act(application, action), {"to": anna.pk})
    assert response.status_code == 403
    assert footprint(application) == before


@pytest.mark.parametrize("action", ["take", "hand_over", "unassign"])
def test_an_officer_linked_to_the_case_cannot_assign_it(client, action, anna, bo):
    application = GrantApplicationFactory(state=S.IN_REVIEW, assignee=bo)
    application.linked_officers.add(anna)
    client.force_login(anna)
    before = footprint(application)
    response = client.post(act(application, action), {"to": bo.pk})
    assert response.status_code == 403
    assert "Du har tilknytning til sagen" in page_text(response)
    assert footprint(application) == before


def test_a_closed_case_is_not_assigned(client, anna, bo):
    application = GrantApplicationFactory(state=S.CLOSED)
    client.force_login(anna)
    before = footprint(application)
    response = client.post(act(application, "take"))
    assert response.status_code == 409
    assert "Sagen er afsluttet." in page_text(response)
    assert footprint(application) == before


def test_the_queue_filters_by_assignee_and_shows_each_officers_caseload(client, anna, bo):
    GrantApplicationFactory(state=S.SUBMITTED, applicant_name="Annas", assignee=anna)
    GrantApplicationFactory(state=S.IN_REVIEW, applicant_name="Annas anden", assignee=anna)
    GrantApplicationFactory(state=S.CLOSED, applicant_name="Annas lukkede", assignee=anna)
    GrantApplicationFactory(state=S.IN_REVIEW, applicant_name="Bos", assignee=bo)
    GrantApplicationFactory(state=S.SUBMITTED, applicant_name="Ingens")
    client.force_login(anna)
    assert queue(client, state="all", assignee="mine") == ["Annas", "Annas anden", "Annas lukkede"]
    assert queue(client, assignee="mine") == ["Annas", "Annas anden"]  # needing my action
    assert queue(client, state="all", assignee="none") == ["Ingens"]
    assert queue(client, state="all", assignee=str(bo.pk)) == ["Bos"]
    response = client.get(reverse("grants:queue"))
    assert [(o.username, o.open_cases) for o in response.context["officers"]] == [
        ("anna", 2),
        ("bo", 1),
    ]
    text = page_text(response)
    assert "Sagsmængde" in text and "anna 2 bo 1" in text
    # A value that is no officer is a message at the field, never an error page.
    response = client.get(reverse("grants:queue"), {"assignee": "99999"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert (
        "Markér en gyldig valgmulighed. 99999 er ikke en af de tilgængelige valgmuligheder."
        in page_text(response)
    )


def test_the_queue_shows_the_deadline_and_filters_overdue_cases(client, anna):
    GrantSchemeFactory(decision_days=10)
    now = timezone.now()
    late = GrantApplicationFactory(state=S.IN_REVIEW, applicant_name="Sen")
    GrantApplication.objects.filter(pk=late.pk).update(
        email_confirmed_at=now - datetime.timedelta(days=11)
    )
    on_time = GrantApplicationFactory(state=S.SUBMITTED, applicant_name="I tide")
    GrantApplication.objects.filter(pk=on_time.pk).update(
        email_confirmed_at=now - datetime.timedelta(days=10)
    )
    decided = GrantApplicationFactory(
        state=S.APPROVED, applicant_name="Afgjort", amount_granted=Decimal("100")
    )
    GrantApplication.objects.filter(pk=decided.pk).update(
        email_confirmed_at=now - datetime.timedelta(days=40)
    )
    client.force_login(anna)
    assert queue(client, state="all", deadline="overdue") == ["Sen"]
    text = page_text(client.get(reverse("grants:queue"), {"state": "all"}))
    today = timezone.localdate()
    late_due = today - datetime.timedelta(days=1)
    # Overdue in words, once: the case on time shows its day, the decided one none.
    assert f"Overskredet: {late_due:%d.%m.%Y}" in text and text.count("Overskredet") == 1
    assert f"{today:%d.%m.%Y} {today:%d.%m.%Y} –" in text


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("søren", ["Søren Østergaard"]),
        ("ØSTERGAARD", ["Søren Østergaard"]),
        ("SOFIE@EXAMPLE", ["Sofie Jensen"]),
        ("spejder", ["Sofie Jensen"]),
        ("  fdf   Spejderne ", ["Sofie Jensen"]),
        ("nobody-like-this", []),
    ],
)
def test_the_queue_searches_names_addresses_and_organisations(client, anna, search, found):
    GrantApplicationFactory(
        applicant_name="Sofie Jensen",
        applicant_email="sofie@example.dk",
        organisation="FDF Spejderne",
        state=S.CLOSED,
    )
    GrantApplicationFactory(
        applicant_name="Søren Østergaard", applicant_email="s@example.dk", organisation=""
    )
    client.force_login(anna)
    assert queue(client, q=search) == found


def test_the_queue_finds_a_case_by_its_number(client, anna):
    wanted = GrantApplicationFactory(state=S.CLOSED, applicant_name="Den rigtige")
    GrantApplicationFactory(applicant_name="En anden")
    client.force_login(anna)
    assert queue(client, q=wanted.case_number) == ["Den rigtige"]


def test_a_search_too_long_is_a_message_at_the_field(client, anna):
    GrantApplicationFactory(applicant_name="Sofie Jensen")
    client.force_login(anna)
    response = client.get(reverse("grants:queue"), {"q": "x" * 101})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "Søg efter højst 100 tegn: et sagsnummer, et navn" in page_text(response)
    assert 'value="' + "x" * 101 + '"' in response.content.decode()  # kept as typed


def test_the_queue_reads_the_same_queries_for_few_and_many_assigned_cases(
    client, anna, bo, django_assert_max_num_queries
):
    GrantSchemeFactory(decision_days=5)
    GrantApplicationFactory(state=S.IN_REVIEW, assignee=anna)
    client.force_login(anna)
    params = {"state": "all", "q": "Sofie", "deadline": "overdue", "assignee": "mine"}
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("grants:queue"), params)
    with django_assert_max_num_queries(30) as plain:
        client.get(reverse("grants:queue"))
    for n in range(15):
        case = GrantApplicationFactory(state=S.IN_REVIEW, assignee=anna if n % 2 else bo)
        GrantApplication.objects.filter(pk=case.pk).update(
            email_confirmed_at=timezone.now() - datetime.timedelta(days=30)
        )
        officer(f"officer{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("grants:queue"), params)
    with django_assert_max_num_queries(len(plain.captured_queries)):
        client.get(reverse("grants:queue"))

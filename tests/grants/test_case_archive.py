"""Records: the journal number, the case file as one ZIP archive with a manifest, the mark
that a case is filed, and the list of finished cases not yet filed."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from grants.enums import ApplicationState, EventKind
from grants.models import ApplicationEvent, GrantApplication
from portal.models import AuditEntry
from tests.factories import GrantApplicationFactory, GrantSchemeFactory
from tests.grants.conftest import officer
from tests.grants.unchanged import everything

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture
def rejected(grant_officer):
    """A rejected case with an attachment, a decision letter, its mail and a question."""
    GrantSchemeFactory(classification="30.10.08")
    application = GrantApplicationFactory(
        state=S.IN_REVIEW, applicant_name="Sofie Jensen", organisation="FDF Ballerup"
    )
    application.attachments.create(
        file=ContentFile(b"%PDF-1.4 budget", name="budget.pdf"), name="../Budget 2026.pdf"
    )
    services.request_information(
        application=application, officer=grant_officer, question="Hvem rejser?"
    )
    services.answer(application=application, text="Ti spejdere.")
    services.reject(
        application=application,
        officer=grant_officer,
        reason="Uden for puljens formål",
        rules=["purpose"],
    )
    application = GrantApplication.objects.get(pk=application.pk)
    application.decision_letter.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    # A step of a kind the archive does not list (an internal note, say) is never filed.
    ApplicationEvent.objects.create(
        application=application, kind="note", actor="officer", reason="INTERN NOTE"
    )
    return application


def take_archive(client, application):
    return client.post(reverse("grants:officer_archive", args=[application.pk]))


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_case_file_downloads_as_one_archive_with_a_manifest(client, grant_officer, rejected):
    client.force_login(grant_officer)

    response = take_archive(client, rejected)

    assert response["Content-Disposition"] == (
        f'attachment; filename="case-{rejected.case_number}.zip"'
    )
    archive = unzip(response)
    names = archive.namelist()
    assert names[0] == "application.html"
    assert names[1] == "attachments/01-Budget 2026.pdf"
    assert names[2] == f"letters/decision-{rejected.case_number}.pdf"
    assert [name for name in names if name.startswith("mails/")] == [
        "mails/01-grants.question.txt",
        "mails/02-grants.decision.txt",
    ]
    assert names[-2:] == ["history.csv", "manifest.json"]
    manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["case"], manifest["classification"], manifest["state"]) == (
        rejected.case_number,
        "30.10.08",
        S.REJECTED,
    )
    assert [(f["file"], f["kind"]) for f in manifest["files"]] == [
        ("application.html", "application"),
        ("attachments/01-Budget 2026.pdf", "attachment"),
        (f"letters/decision-{rejected.case_number}.pdf", "letter"),
        ("mails/01-grants.question.txt", "mail"),
        ("mails/02-grants.decision.txt", "mail"),
        ("history.csv", "history"),
    ]
    for listed in manifest["files"]:
        content = archive.read(listed["file"])
        assert listed["sha256"] == hashlib.sha256(content).hexdigest()
        assert listed["bytes"] == len(content)
        assert listed["date"][:4] == str(rejected.submitted_at.year)
    assert archive.read("attachments/01-Budget 2026.pdf") == b"%PDF-1.4 budget"
    assert archive.read(names[2]) == b"%PDF-1.4 letter"
    html = archive.read("application.html").decode()
    assert "Sofie Jensen" in html and "FDF Ballerup" in html and "Ti spejdere." in html
    assert "30.10.08" in html
    mail_text = archive.read("mails/02-grants.decision.txt").decode()
    assert mail_text.startswith(f"To: {rejected.applicant_email}\nSubject: ")
    history = list(
        csv.reader(io.StringIO(archive.read("history.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert [row[1] for row in history[1:]] == ["move"] * 3  # asked, answered, rejected
    assert history[-1][2:4] == ["Afslået", "officer"]
    assert history[-1][6] == "Uden for puljens formål"
    everything_filed = b"".join(archive.read(name) for name in names)
    assert b"INTERN NOTE" not in everything_filed
    entry = AuditEntry.objects.get(action="grant.archive")
    assert (entry.actor, entry.object_id, entry.data["files"]) == (
        grant_officer,
        str(rejected.pk),
        "6",
    )


@override_settings(GRANT_ARCHIVE_MAX_BYTES=10)
def test_a_case_file_above_the_bound_is_refused_with_a_reason(client, grant_officer, rejected):
    client.force_login(grant_officer)
    before = everything()
    response = take_archive(client, rejected)
    assert response["Location"] == reverse("grants:officer_case", args=[rejected.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Sagsakterne fylder mere end 0 MB" in page
    assert everything() == before


@pytest.mark.parametrize("persona", ["coordinator", "secretary", "finance_clerk", "no_role"])
def test_only_an_officer_takes_the_case_file(client, request, rejected, persona):
    client.force_login(request.getfixturevalue(persona))
    before = everything()
    assert take_archive(client, rejected).status_code == 403
    for name, data in (("officer_journal", {"journal_number": "X"}), ("officer_filed", {})):
        assert client.post(reverse(f"grants:{name}", args=[rejected.pk]), data).status_code == 403
    assert everything() == before


def test_anonymous_is_sent_to_log_in_and_a_get_is_refused(client, grant_officer, rejected):
    before = everything()
    assert take_archive(client, rejected)["Location"].startswith(reverse("login"))
    client.force_login(grant_officer)
    assert client.get(reverse("grants:officer_archive", args=[rejected.pk])).status_code == 405
    assert everything() == before


def test_an_officer_linked_to_the_case_keeps_no_records_of_it(client, rejected, line):
    linked = officer("linked", "linked@kommune.dk")
    rejected.linked_officers.add(linked)
    client.force_login(linked)
    before = everything()
    assert take_archive(client, rejected).status_code == 403
    response = client.post(
        reverse("grants:officer_journal", args=[rejected.pk]), {"journal_number": "X"}
    )
    assert response.status_code == 403
    assert client.post(reverse("grants:officer_filed", args=[rejected.pk])).status_code == 403
    assert everything() == before


def test_the_officer_records_the_journal_number_and_the_page_shows_the_classification(
    client, grant_officer, rejected
):
    client.force_login(grant_officer)
    response = client.post(
        reverse("grants:officer_journal", args=[rejected.pk]),
        {"journal_number": " 30.10.08-G01-12-26 "},
    )
    assert response.status_code == 302
    assert GrantApplication.objects.get(pk=rejected.pk).journal_number == "30.10.08-G01-12-26"
    entry = AuditEntry.objects.get(action="grant.journal_number")
    assert (entry.data["old"], entry.data["new"]) == ("", "30.10.08-G01-12-26")
    assert ApplicationEvent.objects.filter(
        application=rejected, kind=EventKind.JOURNAL_NUMBER, reason="30.10.08-G01-12-26"
    ).exists()
    page = client.get(reverse("grants:officer_case", args=[rejected.pk])).content.decode()
    records = page[page.index('id="records"') :]
    assert '<dd id="journal-number">30.10.08-G01-12-26</dd>' in records
    assert "<dd>30.10.08</dd>" in records


def test_a_journal_number_too_long_is_explained_at_the_field(client, grant_officer, rejected):
    client.force_login(grant_officer)
    before = everything()
    typed = "J" * 41
    response = client.post(
        reverse("grants:officer_journal", args=[rejected.pk]), {"journal_number": typed}
    )
    assert response.status_code == 400
    form = response.context["journal_form"]
    assert form.errors["journal_number"] == ["Denne værdi må højst have 40 tegn (den har 41)."]
    assert form["journal_number"].value() == typed
    assert everything() == before


def test_filing_needs_the_journal_number_and_the_archive_first(client, grant_officer, rejected):
    client.force_login(grant_officer)
    case_url = reverse("grants:officer_case", args=[rejected.pk])
    page = client.get(case_url).content.decode()
    assert "Registrér først journalnummeret i ESDH-systemet." in page
    before = everything()
    response = client.post(reverse("grants:officer_filed", args=[rejected.pk]))
    assert response.status_code == 409
    assert everything() == before

    services.set_journal_number(
        application=rejected, officer=grant_officer, journal_number="30.10.08-G01-1-26"
    )
    before = everything()
    response = client.post(reverse("grants:officer_filed", args=[rejected.pk]))
    assert response.status_code == 409
    assert "Hent først sagsakterne til ESDH-systemet." in response.content.decode()
    assert everything() == before

    b"".join(take_archive(client, rejected).streaming_content)
    response = client.post(reverse("grants:officer_filed", args=[rejected.pk]))
    assert response["Location"] == case_url
    application = GrantApplication.objects.get(pk=rejected.pk)
    assert application.filed_by == grant_officer and application.filed_at is not None
    assert AuditEntry.objects.get(action="grant.filed").data == {
        "journal_number": "30.10.08-G01-1-26"
    }
    page = client.get(case_url).content.decode()
    assert 'id="filed">' in page and "(officer)" in page[page.index('id="filed"') :]
    # Filed: the journal number no longer changes, and filing again is refused.
    before = everything()
    response = client.post(
        reverse("grants:officer_journal", args=[rejected.pk]), {"journal_number": "ANDET"}
    )
    assert response.status_code == 400
    assert client.post(reverse("grants:officer_filed", args=[rejected.pk])).status_code == 409
    assert everything() == before


def test_a_case_still_running_is_not_filed(client, grant_officer, line):
    running = GrantApplicationFactory(state=S.IN_REVIEW)
    services.set_journal_number(application=running, officer=grant_officer, journal_number="J1")
    client.force_login(grant_officer)
    b"".join(take_archive(client, running).streaming_content)
    before = everything()
    response = client.post(reverse("grants:officer_filed", args=[running.pk]))
    assert response.status_code == 409
    assert "Kun en lukket, afslået eller trukket sag journaliseres" in response.content.decode()
    assert everything() == before


def test_the_list_of_cases_to_file_in_a_fixed_number_of_queries(client, grant_officer, line):
    client.force_login(grant_officer)
    running = GrantApplicationFactory(state=S.IN_REVIEW)
    first = GrantApplicationFactory(state=S.CLOSED)

    def counted():
        client.get(reverse("grants:to_file"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("grants:to_file"))
        return [a.pk for a in response.context["page"].object_list], len(queries)

    listed, queries = counted()
    assert listed == [first.pk]
    more = [GrantApplicationFactory(state=state) for state in (S.REJECTED, S.WITHDRAWN) * 3]
    filed = GrantApplicationFactory(state=S.CLOSED)
    GrantApplication.objects.filter(pk=filed.pk).update(filed_at=filed.submitted_at)
    listed, queries_with_more = counted()
    assert listed == [first.pk, *[a.pk for a in more]]
    assert running.pk not in listed and filed.pk not in listed
    assert queries_with_more == queries


def test_the_officers_front_page_counts_the_cases_to_file(client, grant_officer, line):
    GrantApplicationFactory(state=S.IN_REVIEW)
    finished = [GrantApplicationFactory(state=state) for state in (S.CLOSED, S.REJECTED)]
    GrantApplication.objects.filter(pk=finished[0].pk).update(filed_at=finished[0].submitted_at)
    client.force_login(grant_officer)
    counts = {c.key: c for c in client.get(reverse("staff_dashboard")).context["counts"]}
    assert (counts["to_file"].count, counts["to_file"].url) == (1, reverse("grants:to_file"))

"""Addresses and forms that answered a server error (500, or a bare 400 that lost the form):
each now answers a page in the reader's language, and stores nothing."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Initiative, Milestone
from grants.models import Attachment, GrantApplication
from portal.models import AuditEntry, OutboxMail
from tests.conftest import apply_for
from tests.factories import BudgetLineFactory, BudgetYearFactory, GrantApplicationFactory

pytestmark = pytest.mark.django_db


def _nothing_stored() -> tuple:
    return (
        GrantApplication.objects.count(),
        Attachment.objects.count(),
        Initiative.objects.count(),
        Milestone.objects.count(),
        AuditEntry.objects.count(),
        OutboxMail.objects.count(),
        len(mail.outbox),
    )


@pytest.mark.parametrize(
    "address",
    [
        "/en/budget/2026/lines/%00/",
        "/en/grants/case/%00/",
        "/en/grants/case/%00/withdraw/",
        "/en/grants/case/%00/letter/",
        "/en/grants/case/abc%00def/",
    ],
)
def test_a_nul_byte_in_an_address_is_page_not_found_before_any_query(client, address):
    """PostgreSQL refuses a NUL in text with an error (a 500); SQLite found nothing. The
    address now matches no page at all, so no view looks anything up with the NUL."""
    BudgetLineFactory(budget_year=BudgetYearFactory(year=2026))
    GrantApplicationFactory()
    before = _nothing_stored()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
        post = client.post(address)
    assert response.status_code == 404 and post.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "The page may have moved" in post.content.decode()
    looked_up = [q["sql"] for q in queries.captured_queries if "WHERE" in q["sql"]]
    assert [sql for sql in looked_up if "grantapplication" in sql or "budgetline" in sql] == []
    assert _nothing_stored() == before


@pytest.mark.parametrize(
    "next_address", ["/en/login/", "/login/", "/en/login/?next=/en/login/", "/de/login/"]
)
def test_a_signed_in_user_sent_to_the_login_page_goes_to_the_staff_pages(
    client, secretary, next_address
):
    """Django raised an error for a `next` that leads back to the login page itself."""
    client.force_login(secretary)
    response = client.get("/en/login/", {"next": next_address})
    assert (response.status_code, response["Location"]) == (302, "/en/staff/")
    assert "Staff pages" in client.get(response["Location"]).content.decode()


def test_a_signed_in_user_with_a_good_next_still_goes_there(client, secretary):
    client.force_login(secretary)
    response = client.get("/en/login/", {"next": "/en/staff/trips/"})
    assert response["Location"] == "/en/staff/trips/"


def test_a_login_sent_on_to_the_login_page_lands_on_the_staff_pages(client, secretary):
    secretary.set_password("a long enough password")
    secretary.save()
    response = client.post(
        "/en/login/?next=/en/login/",
        {"username": secretary.username, "password": "a long enough password"},
    )
    assert response["Location"] == "/en/staff/"


@pytest.mark.parametrize("year", [2017])
def test_a_follow_up_import_with_a_field_over_the_csv_limit_is_refused_on_the_form(
    client, secretary, year
):
    from budgets import followup
    from budgets.institutions import ensure_follow_up_rounds

    ensure_follow_up_rounds()
    BudgetYearFactory(year=year)
    client.force_login(secretary)
    header = followup.columns(followup.round_codes())
    row = dict.fromkeys(header, "")
    row.update(year=str(year), number="1.01", title="Ny indsats", description="x" * 200_000)
    lines = [";".join(header), ";".join(row[name] for name in header)]
    before = _nothing_stored()

    upload = SimpleUploadedFile("follow-up.csv", "\n".join(lines).encode(), "text/csv")
    response = client.post(
        reverse("budgets:staff_follow_up", args=[year]).replace("/staff/", "/en/staff/", 1),
        {"file": upload},
    )

    page = response.content.decode()
    limit = f"{followup.FIELD_LIMIT:,}"
    assert response.status_code == 200
    assert f"Line 2: a field is longer than {limit} characters" in page
    assert 'type="file"' in page  # the form again, to choose a corrected file
    assert _nothing_stored() == before


def test_a_follow_up_import_that_is_not_csv_is_refused_on_the_form(client, secretary):
    from budgets import followup

    BudgetYearFactory(year=2017)
    client.force_login(secretary)
    header = ";".join(followup.columns(followup.round_codes()))
    before = _nothing_stored()
    upload = SimpleUploadedFile("follow-up.csv", f"{header}\n2017;a\rb\n".encode(), "text/csv")
    response = client.post("/en/staff/follow-up/2017/", {"file": upload})
    assert "Line 2: the line cannot be read as CSV" in response.content.decode()
    assert _nothing_stored() == before


@pytest.mark.parametrize("name", ["#", "()", "%", "  "])
def test_a_file_named_without_letters_is_kept_and_the_form_goes_on(client, application_form, name):
    """Django's storage refused such a name with an error: a bare 400, the form lost."""
    pdf = SimpleUploadedFile(name, b"%PDF-1.4 budget", content_type="application/pdf")
    response = client.post(
        "/en/grants/ungdomsrejser/apply/", {**application_form, "attachments": [pdf]}
    )
    assert response["Location"] == "/en/grants/ungdomsrejser/apply/check/"
    check = client.get(response["Location"]).content.decode()
    assert "Sofie Jensen" in check and "file" in check  # what was typed, and the file

    apply_for(client, {}, path="/en/grants/ungdomsrejser/apply/check/")
    (attachment,) = Attachment.objects.all()
    assert attachment.name == "file"
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 budget"


def test_a_very_long_file_name_is_shortened_keeping_its_extension(client, application_form):
    pdf = SimpleUploadedFile("b" * 300 + ".pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        "/en/grants/ungdomsrejser/apply/", {**application_form, "attachments": [pdf]}
    )
    client.post(response["Location"])
    (attachment,) = Attachment.objects.all()
    assert attachment.name == "b" * 56 + ".pdf"

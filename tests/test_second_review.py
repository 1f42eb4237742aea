"""A second review of the fixed findings, by someone who had not built them: the variations
that still got through, each performed, with what must stay unchanged asserted afterwards
(docs/security/second-review.md)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grants.enums import ApplicationState
from grants.models import ApplicationEvent, GrantApplication
from portal.models import OutboxMail
from tests.conftest import apply_for, form_token
from tests.factories import TripFactory

pytestmark = pytest.mark.django_db
APPLY = "/grants/ungdomsrejser/apply/"


def _pending(application_form, email: str, address: str) -> GrantApplication:
    """An application sent through the form from `address`, waiting for confirmation."""
    data = {**application_form, "applicant_email": email, "form_token": form_token()}
    before = set(GrantApplication.objects.values_list("pk", flat=True))
    response = apply_for(Client(REMOTE_ADDR=address), data)
    assert response["Location"] == reverse("grants:submitted")
    return GrantApplication.objects.exclude(pk__in=before).get()


def _confirm(application: GrantApplication, client: Client):
    return client.post(application.get_case_url(), {"action": "confirm_email"})


# 1. The applications per mailbox: waiting ones, confirmed together, passed the limit.


def test_applications_confirmed_together_stay_within_the_limit_per_mailbox(
    application_form, settings
):
    """Each application passed the limit when it was sent (none was confirmed yet); the
    limit must hold when they are confirmed, or one mailbox gets more cases an hour than
    GRANT_APPLICATIONS_PER_EMAIL_HOUR allows."""
    settings.GRANT_APPLICATIONS_PER_EMAIL_HOUR = 2
    spellings = ["sofie@example.dk", "Sofie+a@Example.DK", "sofie+b@example.dk"]
    waiting = [
        _pending(application_form, email, f"203.0.113.{n}") for n, email in enumerate(spellings)
    ]
    visitor = Client()
    for application in waiting[:2]:
        _confirm(application, visitor)
    receipts = list(OutboxMail.objects.filter(kind="grants.receipt").values_list("pk", "to"))
    assert len(receipts) == 2
    events = list(ApplicationEvent.objects.filter(application=waiting[2]).values_list("pk"))

    response = _confirm(waiting[2], visitor)

    assert response["Location"] == waiting[2].get_case_url()
    page = visitor.get(response["Location"]).content.decode()
    assert "Vi har modtaget 2 ansøgninger fra dig inden for en time" in page
    waiting[2].refresh_from_db()
    assert (waiting[2].state, waiting[2].email_confirmed_at) == (ApplicationState.UNCONFIRMED, None)
    assert list(ApplicationEvent.objects.filter(application=waiting[2]).values_list("pk")) == (
        events
    )
    assert (
        list(OutboxMail.objects.filter(kind="grants.receipt").values_list("pk", "to")) == receipts
    )
    assert GrantApplication.objects.filter(email_confirmed_at__isnull=False).count() == 2


# 11. A tab splits a cell too: Excel's and LibreOffice's text import split on it by default.


@pytest.mark.parametrize("language", ["en", "da"])
def test_a_tab_in_an_applicants_name_cannot_start_a_formula_in_the_officers_export(
    application_form, grant_officer, language
):
    name = "Bob\t=cmd|' /C calc'!A0"
    application = _pending(
        {**application_form, "applicant_name": name}, "bob@example.dk", "203.0.113.9"
    )
    _confirm(application, Client())
    officer = Client()
    officer.force_login(grant_officer)

    prefix = "" if language == "da" else f"/{language}"
    response = officer.post(f"{prefix}/staff/grants/csv/", {"confirm": "on"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    separator = "," if language == "en" else ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    names = [row[4] for row in rows[1:]]
    assert names == ["Bob\t'=cmd|' /C calc'!A0"]
    # Split on tabs, as a text import does by default, no cell starts a formula.
    cells = [cell for line in text.splitlines() for cell in line.split("\t")]
    assert [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))] == []


# 10. Junk values of a parameter the page reads store no page of their own.


@pytest.mark.django_db(transaction=True)
def test_junk_spellings_of_a_declared_parameter_store_no_new_page(client, settings):
    from portal.roles import ensure_roles

    ensure_roles()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    TripFactory(title="Til Wuxi")
    client.get("/en/")  # the first request ever writes the site's settings: the data moves
    first = client.get("/en/trips/", {"page": "1"})
    assert "X-Cache" not in first
    for junk in ["01", "001", "0001"]:
        again = client.get("/en/trips/", {"page": junk})
        assert (again.get("X-Cache"), again.content) == ("hit", first.content)
    # A value no field takes is answered, but not kept: it cannot fill the cache.
    before = _stored_pages()
    for junk in ["XX1", "XX2", "XX3"]:
        assert client.get("/en/trips/", {"country": junk}).status_code in (200, 400)
    assert _stored_pages() == before


def _stored_pages() -> int:
    from django.core.cache import cache

    return sum(1 for key in cache._cache if "public-pages" in key)


# 4. One client cannot use up the bound on all drafts together.


def test_one_client_cannot_use_up_the_drafts_room_of_everybody(
    application_form, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.GRANT_DRAFTS_MAX_BYTES = 400_000
    settings.GRANT_DRAFT_BYTES_PER_CLIENT_DAY = 150_000  # a draft with its file, not two

    def upload(name):
        return SimpleUploadedFile(name, b"%PDF-1.4" + b"0" * 100_000, "application/pdf")

    for n in range(5):  # each from a new session, well within the drafts per client an hour
        Client(REMOTE_ADDR="203.0.113.66").post(
            APPLY, {**application_form, "attachments": [upload(f"junk{n}.pdf")]}
        )
    victim = Client(REMOTE_ADDR="198.51.100.5")

    response = victim.post(APPLY, {**application_form, "attachments": [upload("budget.pdf")]})

    assert response.status_code == 302
    assert response["Location"] == "/grants/ungdomsrejser/apply/check/"


# 5. Applying in a victim's name neither blocks them nor removes what they sent.


def test_applying_in_a_victims_name_leaves_the_victims_own_application(application_form):
    own = _pending(application_form, "sofie@example.dk", "198.51.100.5")
    for n in range(3):
        _pending(application_form, "sofie@example.dk", f"203.0.113.{70 + n}")

    assert GrantApplication.objects.filter(pk=own.pk).exists()


# 9. A follow-up import whose line has fewer cells than the header was a server error.


@pytest.mark.parametrize("line", ["2017;3.09;Kun en titel", "2017;3.09;T" + ";" * 21 + "x;y;z"])
def test_a_follow_up_line_with_other_cells_than_the_header_is_an_error_on_the_form(
    client, secretary, line
):
    from budgets import followup
    from budgets.models import Initiative
    from portal.models import AuditEntry
    from tests.factories import BudgetYearFactory

    BudgetYearFactory(year=2017)
    client.force_login(secretary)
    header = ";".join(followup.columns(followup.round_codes()))
    upload = SimpleUploadedFile("follow-up.csv", f"{header}\n{line}\n".encode(), "text/csv")

    response = client.post(reverse("budgets:staff_follow_up", args=[2017]), {"file": upload})

    assert response.status_code == 200
    assert "Linje 2: linjen kan ikke læses som CSV" in response.content.decode()
    assert list(Initiative.objects.values_list("number")) == []
    assert list(AuditEntry.objects.filter(action="follow_up.import").values_list("pk")) == []


# 1. A long s (ſ) passes Django's address check as an "s"; a server folding case by Unicode
# delivers it to the officer's own mailbox.


def test_an_officer_cannot_apply_with_a_long_s_for_an_s(application_form, grant_officer):
    grant_officer.email = "mads@kommune.dk"
    grant_officer.save()
    data = {**application_form, "applicant_email": "MADſ@kommune.dk", "form_token": form_token()}

    response = Client(REMOTE_ADDR="203.0.113.5").post(APPLY, data)

    assert response.status_code == 200
    assert "Skriv en almindelig adresse som navn@eksempel.dk" in response.content.decode()
    assert 'value="MADſ@kommune.dk"' in response.content.decode()
    assert list(GrantApplication.objects.values_list("pk")) == []
    assert list(OutboxMail.objects.values_list("pk")) == []

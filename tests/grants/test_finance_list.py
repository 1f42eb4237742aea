"""The finance department's payment list (page, CSV, XLSX), the finance clerk's role, the
organisation's CVR number on the form, and that the portal never asks for a CPR number."""

import csv
import datetime
import importlib
import io
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from grants import services
from grants.enums import ApplicationState
from grants.models import GrantApplication
from portal.models import AuditEntry
from tests.conftest import apply_for
from tests.factories import GrantApplicationFactory, GrantSchemeFactory
from tests.grants.unchanged import everything

pytestmark = pytest.mark.django_db
S = ApplicationState
TODAY = timezone.localdate


def paid_case(officer, *, amount="12000", paid_on=None, reference="FIN-1", **fields):
    fields.setdefault("amount_requested", amount)  # a full grant: no reasons needed
    application = GrantApplicationFactory(state=S.IN_REVIEW, **fields)
    services.approve(application=application, officer=officer, amount=amount)
    services.mark_paid(application=application, officer=officer, reference=reference)
    if paid_on:  # decided today, but paid as if decided earlier (no kept total reads it)
        GrantApplication.objects.filter(pk=application.pk).update(paid_on=paid_on)
    return GrantApplication.objects.get(pk=application.pk)


@pytest.fixture
def payments(line, grant_officer):
    """Two payments this month, one last year, and one grant not paid."""
    first = paid_case(
        grant_officer,
        amount="12000",
        paid_on=TODAY().replace(day=1),
        reference="FIN-100",
        organisation="FDF Ballerup",
        organisation_cvr="58271713",
        applicant_name="Sofie Jensen",
    )
    second = paid_case(
        grant_officer,
        amount="7500.50",
        paid_on=TODAY(),
        reference='=HYPERLINK("http://x")',
        organisation="",
        applicant_name="-2+3",
    )
    old = paid_case(
        grant_officer,
        amount="1000",
        reference="FIN-OLD",
    )
    GrantApplication.objects.filter(pk=old.pk).update(
        paid_on=TODAY() - datetime.timedelta(days=400)
    )
    unpaid = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=3000)
    services.approve(application=unpaid, officer=grant_officer, amount="3000")
    return first, second


def this_month():
    start = TODAY().replace(day=1)
    return {"start": start.isoformat(), "end": TODAY().isoformat()}


def test_the_finance_clerk_reads_the_payments_of_a_period(client, finance_clerk, payments):
    first, second = payments
    client.force_login(finance_clerk)

    response = client.get(reverse("grants:payments"), this_month())

    assert response.status_code == 200
    assert response.context["table"] == [
        [
            first.paid_on.strftime("%d.%m.%Y"),
            "FIN-100",
            first.case_number,
            "",
            "Sofie Jensen",
            "FDF Ballerup",
            "58271713",
            first.scheme.name,
            "12.000\xa0kr.",
        ],
        [
            second.paid_on.strftime("%d.%m.%Y"),
            '=HYPERLINK("http://x")',
            second.case_number,
            "",
            "-2+3",
            "",
            "",
            second.scheme.name,
            "7.500,50\xa0kr.",
        ],
    ]
    page = response.content.decode()
    assert "19.500,50\xa0kr. i alt" in page
    assert "FIN-OLD" not in page


def test_the_default_period_is_this_month(client, finance_clerk, payments):
    client.force_login(finance_clerk)
    response = client.get(reverse("grants:payments"))
    assert (response.context["start"], response.context["end"]) == (
        TODAY().replace(day=1),
        TODAY(),
    )
    assert len(response.context["table"]) == 2


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        (
            {"start": "2026-05-02", "end": "2026-05-01"},
            "end",
            "Slutdatoen kan ikke ligge før startdatoen.",
        ),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "end", "Vælg højst 366 dage ad gangen."),
        ({"start": "i går", "end": "2026-01-01"}, "start", "Indtast en gyldig dato."),
    ],
)
def test_a_wrong_period_is_explained_at_the_field(client, finance_clerk, period, field, message):
    client.force_login(finance_clerk)
    before = everything()
    response = client.get(reverse("grants:payments"), period)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert response.context["form"]["start"].value() == period["start"]
    response = client.post(reverse("grants:payment_download"), {**period, "format": "csv"})
    assert response.status_code == 400
    assert everything() == before  # no file, no audit entry


def download(client, kind, period=None):
    return client.post(
        reverse("grants:payment_download"), {**(period or this_month()), "format": kind}
    )


def test_the_csv_is_in_the_danish_number_format_and_runs_no_formula(
    client, finance_clerk, payments
):
    first, second = payments
    client.force_login(finance_clerk)

    response = download(client, "csv")

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Udbetalingsdato",
        "Reference",
        "Sag",
        "Journalnummer",
        "Modtager",
        "Organisation",
        "CVR-nummer",
        "Pulje",
        "Beløb",
    ]
    assert rows[1] == [
        first.paid_on.isoformat(),
        "FIN-100",
        first.case_number,
        "",
        "Sofie Jensen",
        "FDF Ballerup",
        "58271713",
        first.scheme.name,
        "12000,00",  # the decimal comma, no grouping: what a spreadsheet reads as a number
    ]
    assert rows[2][1] == '\'=HYPERLINK("http://x")'  # neutralised, never a formula
    assert rows[2][4] == "'-2+3"
    assert rows[2][8] == "7500,50"
    entry = AuditEntry.objects.get(action="grant.export_payments")
    assert (entry.actor, entry.data["start"]) == (finance_clerk, TODAY().replace(day=1).isoformat())


def test_the_english_csv_writes_plain_numbers(client, finance_clerk, payments):
    client.force_login(finance_clerk)
    with translation.override("en"):
        url = reverse("grants:payment_download")
    response = client.post(url, {**this_month(), "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert (rows[0][0], rows[0][8]) == ("Payment date", "Amount")
    assert [row[8] for row in rows[1:]] == ["12000.00", "7500.50"]


def test_the_xlsx_has_typed_amounts_and_text_that_is_never_a_formula(
    client, finance_clerk, payments
):
    first, second = payments
    client.force_login(finance_clerk)

    response = download(client, "xlsx")

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Udbetalingsdato"
    assert [row[8] for row in rows[1:]] == [12000, 7500.5]
    assert rows[2][1] == '=HYPERLINK("http://x")'
    assert sheet.cell(row=3, column=2).data_type == "s"  # text, not a formula
    assert rows[1][6] == "58271713"


def test_the_list_costs_the_same_queries_for_one_payment_or_many(
    client, finance_clerk, line, grant_officer
):
    client.force_login(finance_clerk)
    paid_case(grant_officer, amount="1000", reference="A")

    def counted():
        client.get(reverse("grants:payments"), this_month())  # caches warmed
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("grants:payments"), this_month())
        return len(response.context["table"]), len(queries)

    one, queries_for_one = counted()
    for number in range(6):
        paid_case(grant_officer, amount="1000", reference=f"B{number}")
    many, queries_for_many = counted()
    assert (one, many) == (1, 7)
    assert queries_for_many == queries_for_one


def test_a_reversed_payment_leaves_the_list(client, finance_clerk, payments, grant_officer):
    first, _second = payments
    services.reverse_payment(application=first, officer=grant_officer, reason="Forkert konto")
    client.force_login(finance_clerk)
    response = client.get(reverse("grants:payments"), this_month())
    assert [row[1] for row in response.context["table"]] == ['=HYPERLINK("http://x")']


@pytest.mark.parametrize("persona", ["finance_clerk", "grant_officer", "administrator"])
def test_who_may_read_the_payment_list(client, request, persona, payments):
    client.force_login(request.getfixturevalue(persona))
    assert len(client.get(reverse("grants:payments")).context["table"]) == 2


@pytest.mark.parametrize("persona", ["coordinator", "secretary", "no_role"])
def test_nobody_else_reads_or_downloads_it(client, request, persona, payments):
    client.force_login(request.getfixturevalue(persona))
    before = everything()
    assert client.get(reverse("grants:payments")).status_code == 403
    assert download(client, "csv").status_code == 403
    assert everything() == before


def test_anonymous_is_sent_to_log_in(client, payments):
    before = everything()
    response = download(client, "xlsx")
    assert response["Location"].startswith(reverse("login"))
    assert everything() == before


def test_the_finance_clerk_reads_the_payment_list_and_nothing_else(client, finance_clerk, payments):
    first, _second = payments
    client.force_login(finance_clerk)
    before = everything()
    for url in (
        reverse("grants:queue"),
        reverse("grants:to_file"),
        reverse("grants:officer_case", args=[first.pk]),
        reverse("travel:staff_list"),
        reverse("partnerships:exchange_list"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("grants:officer_action", args=[first.pk, "reverse_payment"]), {"reason": "x"}
    )
    assert response.status_code == 403
    assert everything() == before
    # The staff front page offers the payment list, with this month's count.
    page = client.get(reverse("staff_dashboard"))
    counts = {count.key: count for count in page.context["counts"]}
    assert counts["payments"].count == 2
    assert counts["payments"].url.startswith(reverse("grants:payments"))


# The organisation's CVR number on the public form.


def test_an_association_gives_its_cvr_number(client, application_form):
    response = apply_for(client, {**application_form, "organisation_cvr": "DK 5827 1713"})
    assert response.status_code == 302
    assert GrantApplication.objects.get().organisation_cvr == "58271713"


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("youth_association", "1234567", "Et CVR-nummer består af 8 cifre."),
        ("youth_association", "1234567a", "Et CVR-nummer består af 8 cifre."),
        ("youth_association", "58271714", "Det er ikke et gyldigt CVR-nummer; kontrollér cifrene."),
        (
            "young_person",
            "58271713",
            "Kun en forening, en skole eller en venskabsbyforening oplyser et CVR-nummer.",
        ),
    ],
)
def test_a_wrong_cvr_number_is_explained_at_the_field(
    client, application_form, kind, typed, message
):
    before = everything()
    data = {**application_form, "applicant_kind": kind, "organisation_cvr": typed}
    if kind == "young_person":
        data["applicant_birth_date"] = "2005-01-01"
    response = client.post("/grants/ungdomsrejser/apply/", data)
    assert response.status_code == 200
    assert message in response.context["form"].errors["organisation_cvr"]
    assert response.context["form"]["organisation_cvr"].value() == typed
    assert everything() == before


def test_a_scheme_only_for_people_asks_for_no_cvr_number(client, db):
    GrantSchemeFactory(slug="unge", applicant_kinds=["young_person"])
    GrantSchemeFactory()
    page = client.get("/grants/unge/apply/").content.decode()
    assert 'name="organisation_cvr"' not in page
    page = client.get("/grants/ungdomsrejser/apply/").content.decode()
    assert 'name="organisation_cvr"' in page


# The portal never asks for a CPR number (DESIGN.md).

CPR = re.compile(r"cpr|personnummer|personennummer|social security|personal identity", re.I)


def _all_forms():
    for module_name in (
        "grants.forms",
        "travel.forms",
        "partnerships.forms",
        "budgets.forms",
        "portal.forms",
    ):
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                yield value


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_no_form_field_or_label_asks_for_a_cpr_number(client, db, language):
    GrantSchemeFactory()
    with translation.override(language):
        for form_class in _all_forms():
            for name, field in form_class.base_fields.items():
                words = f"{name} {field.label or ''} {field.help_text or ''}"
                assert not CPR.search(words), (form_class.__name__, name, words)
        for field in GrantApplication._meta.get_fields():
            words = " ".join(
                str(getattr(field, attribute, ""))
                for attribute in ("name", "verbose_name", "help_text")
            )
            assert not CPR.search(words), field.name
    with translation.override(language):
        url = reverse("grants:apply", args=["ungdomsrejser"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="organisation_cvr"' in page.content.decode()
    assert not CPR.search(page.content.decode())


def test_the_cvr_number_is_erased_with_an_unpublished_organisation(db):
    kept = GrantApplicationFactory(
        state=S.CLOSED, organisation_cvr="58271713", organisation_may_be_published=True
    )
    erased = GrantApplicationFactory(state=S.CLOSED, organisation_cvr="58271713")
    GrantApplication.objects.update(closed_at=timezone.now() - datetime.timedelta(days=1))
    services.erase_personal_data(before=timezone.now())
    cvr = dict(GrantApplication.objects.values_list("pk", "organisation_cvr"))
    assert cvr == {kept.pk: "58271713", erased.pk: ""}

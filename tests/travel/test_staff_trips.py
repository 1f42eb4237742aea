"""A committee secretary records, publishes and reports on a trip through the staff pages."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEntry
from tests.factories import BudgetLineFactory, CommitteeFactory, PersonFactory, TripFactory
from tests.formdata import formset, trip_form
from travel.models import Trip

pytestmark = pytest.mark.django_db


def test_secretary_records_a_trip_and_its_cost_reaches_the_budget(client, secretary):
    line = BudgetLineFactory(
        budget_year__year=2026, code="UDV-SSU", amount=65_000, kind="committee_travel"
    )
    client.force_login(secretary)
    data = trip_form(line)
    response = client.post(reverse("travel:trip_create"), data)

    trip = Trip.objects.get()
    assert response["Location"] == reverse("travel:staff_trip", args=[trip.pk])
    assert (trip.state, trip.created_by) == ("draft", secretary)
    assert [t.person.name for t in trip.travellers.all()] == ["Ali Hassan"]
    assert line.commitments.get().amount == 37_000


def test_a_trip_form_with_a_mistake_keeps_everything_and_saves_nothing(client, secretary):
    client.force_login(secretary)
    data = trip_form(
        None,
        starts_on="2026-09-04",
        ends_on="2026-09-01",
        **formset("programme", []),
        **formset("accounts", []),
    )
    page = client.post(reverse("travel:trip_create"), data).content.decode()
    assert "Hjemkomsten kan ikke ligge før afrejsen." in page
    assert 'value="Ali Hassan"' in page
    assert not Trip.objects.exists()


@pytest.mark.parametrize("prefix", ["travellers", "programme", "accounts"])
def test_adding_a_row_without_javascript_keeps_everything_and_saves_nothing(
    client, secretary, prefix
):
    client.force_login(secretary)
    data = trip_form(None, title="", add_row=prefix)  # a required field still empty
    response = client.post(reverse("travel:trip_create"), data)
    page = response.content.decode()
    rows = {
        p: response.context["formsets"][i]
        for i, p in enumerate(["travellers", "programme", "accounts"])
    }
    before = int(data[f"{prefix}-TOTAL_FORMS"])
    assert len(rows[prefix].forms) == before + 1
    assert 'value="Ali Hassan"' in page and 'value="Glasgow"' in page
    assert "error-summary" not in page and "Dette felt er påkrævet" not in page
    assert page.count("autofocus") == 1  # the new row's first field
    assert not Trip.objects.exists()


def test_a_trip_page_offers_rows_in_a_template_for_javascript(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("travel:trip_create")).content.decode()
    for prefix in ("travellers", "programme", "accounts"):
        assert f'<template id="{prefix}-empty">' in page
        assert f'name="add_row" value="{prefix}"' in page
    assert "js/rows.js" in page


def test_publish_unpublish_and_approve_through_the_staff_page(client, secretary, coordinator):
    trip = TripFactory(
        state="draft", published_at=None, report="Mål og udbytte", costs=[("transport", 100, 90)]
    )
    trip.programme.create(day=trip.starts_on, what="Møde")

    client.force_login(coordinator)
    assert client.post(reverse("travel:trip_publish", args=[trip.pk])).status_code == 403

    client.force_login(secretary)
    client.post(reverse("travel:trip_publish", args=[trip.pk]))
    trip.refresh_from_db()
    assert trip.state == "published" and trip.published_at is not None

    committee = CommitteeFactory(name_da="Børne- og Skoleudvalget")
    approval = {"approved_on": "2025-12-09", "approved_by": committee.pk, "agenda_item": "7"}
    # A meeting that has not happened yet, or a committee that is not on record, is refused.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for hostile in (
        {"approved_on": tomorrow.isoformat()},
        {"approved_by": "Børne- og Skoleudvalget"},
    ):
        client.post(reverse("travel:trip_approve_report", args=[trip.pk]), approval | hostile)
        trip.refresh_from_db()
        assert (trip.state, trip.report_approved_on) == ("published", None)
    client.post(reverse("travel:trip_approve_report", args=[trip.pk]), approval)
    trip.refresh_from_db()
    assert (trip.state, trip.report_approved_on) == ("report_published", datetime.date(2025, 12, 9))

    client.post(reverse("travel:trip_unpublish", args=[trip.pk]), {"reason": ""})
    trip.refresh_from_db()
    assert trip.state == "report_published"
    client.post(reverse("travel:trip_unpublish", args=[trip.pk]), {"reason": "Forkert dato"})
    trip.refresh_from_db()
    assert trip.state == "draft"
    assert list(
        AuditEntry.objects.filter(object_id=str(trip.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "trip.publish",
        "trip.approve_report",
        "trip.unpublish",
    ]


def test_staff_see_which_trips_are_overdue(client, secretary):
    returned_long_ago = datetime.date.today() - datetime.timedelta(days=61)
    TripFactory(
        title="Forsinket",
        state="draft",
        published_at=None,
        starts_on=returned_long_ago,
        ends_on=returned_long_ago,
    )
    TripFactory(
        title="Til tiden",
        state="draft",
        published_at=None,
        starts_on=datetime.date.today(),
        ends_on=datetime.date.today(),
    )
    client.force_login(secretary)
    trips = {t.title: t for t in client.get(reverse("travel:staff_list")).context["trips"]}
    assert (trips["Forsinket"].overdue, trips["Til tiden"].overdue) == (True, False)


def test_travellers_keep_the_order_they_were_entered_in_everywhere(client, secretary):
    """A politician, an official, then a politician whose name sorts first: the staff page,
    the edit form, the public page, its CSV and the API list them as typed, not grouped by
    kind or sorted by name."""
    entered = [
        {"name": "Bo Berg", "kind": "politician", "role": "Formand"},
        {"name": "Ole Holm", "kind": "official", "role": "Direktør"},
        {"name": "Anna Ahl", "kind": "politician", "role": "Næstformand"},
    ]
    names = ["Bo Berg", "Ole Holm", "Anna Ahl"]
    client.force_login(secretary)
    client.post(reverse("travel:trip_create"), trip_form(None, **formset("travellers", entered)))
    trip = Trip.objects.get()

    def in_order(page: str) -> list[str]:
        return sorted(names, key=page.index)

    staff_page = client.get(reverse("travel:staff_trip", args=[trip.pk])).content.decode()
    assert in_order(staff_page) == names
    edit_form = client.get(reverse("travel:trip_edit", args=[trip.pk])).context["formsets"][0]
    assert [form.initial["name"] for form in edit_form.initial_forms] == names

    client.post(reverse("travel:trip_publish", args=[trip.pk]))
    client.logout()
    assert in_order(client.get(trip.get_absolute_url()).content.decode()) == names
    download = client.get(reverse("travel:list"), {"format": "csv"}).getvalue().decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(download), delimiter=";")
    assert in_order(row["Rejsende"]) == names
    (item,) = json.loads(client.get(reverse("travel:list"), {"format": "json"}).getvalue())
    assert [t["name"] for t in item["travellers"]] == names
    api = client.get(f"/api/trips/{trip.slug}/").json()
    assert [t["name"] for t in api["travellers"]] == names


def test_a_trip_address_shortened_at_a_word_end_does_not_end_in_a_hyphen(client, secretary):
    """The address is the month and the title, cut to 45 letters: cut just after "hele" it
    used to end in a hyphen (…-lanarkshire-hele-/). It ends in the word, and a second trip
    of the same title and month gets its own address, numbered."""
    title = "Studietur til South Lanarkshire hele ugen"
    client.force_login(secretary)
    for _ in range(2):
        client.post(reverse("travel:trip_create"), trip_form(None, title_da=title))
    slugs = list(Trip.objects.order_by("pk").values_list("slug", flat=True))
    assert slugs == [
        "2026-09-studietur-til-south-lanarkshire-hele",
        "2026-09-studietur-til-south-lanarkshire-hele-2",
    ]
    trip = Trip.objects.order_by("pk").first()
    client.post(reverse("travel:trip_publish", args=[trip.pk]))
    assert trip.get_absolute_url() == "/trips/2026-09-studietur-til-south-lanarkshire-hele/"
    assert title in client.get(trip.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "text, slug",
    [
        ("— Åbent møde i Kjøbenhavn —", "aabent-moede-i-kjoebenhavn"),
        ("-" * 60, "x"),
        ("ab " * 30, "ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab"),
    ],
)
def test_a_slug_never_starts_or_ends_with_a_hyphen(text, slug):
    from travel.services import unique_slug

    made = unique_slug(Trip, text)
    assert made == slug
    assert not made.startswith("-") and not made.endswith("-")


@pytest.mark.parametrize(
    "approved_on, message",
    [
        ("2025-10-01", "Rapporten kan ikke godkendes, før rejsen er slut."),
        ("9999-12-31", "Mødedatoen kan ikke ligge i fremtiden."),
        ("31-02-2025", "Indtast en gyldig dato."),
    ],
)
def test_a_wrong_approval_date_is_shown_at_the_field_with_what_was_typed(
    client, secretary, approved_on, message
):
    """The committee secretary types a meeting date before the trip ended, in the future or
    not a date: the trip's page comes back with the message at the date field and the
    committee, agenda item and link still filled in; nothing is approved or audited."""
    trip = TripFactory(report="Mål og udbytte", costs=[("transport", 100, 90)])
    committee = CommitteeFactory(name_da="Børne- og Skoleudvalget")
    client.force_login(secretary)
    audited = AuditEntry.objects.count()
    typed = {
        "approved_on": approved_on,
        "approved_by": committee.pk,
        "agenda_item": "7",
        "minutes_url": "https://ballerup.dk/dagsorden/7",
    }
    response = client.post(reverse("travel:trip_approve_report", args=[trip.pk]), typed)

    assert response.status_code == 200
    form = response.context["approval_form"]
    assert form.errors == {"approved_on": [message]}
    page = response.content.decode()
    field = page[page.index('<label for="id_approved_on"') :]
    assert field.index(message) < field.index('name="approved_on"')  # at the field
    assert f'value="{approved_on}"' in page
    assert f'<option value="{committee.pk}" selected>' in page
    assert 'value="7"' in page and 'value="https://ballerup.dk/dagsorden/7"' in page
    trip.refresh_from_db()
    assert (trip.state, trip.report_approved_on, trip.report_agenda_item) == ("published", None, "")
    assert AuditEntry.objects.count() == audited


def test_every_help_text_a_trip_form_input_points_at_is_in_the_page(client, secretary):
    """Seven travellers' "role" inputs pointed aria-describedby at help text the row never
    printed (the Nu HTML Checker: "must point to an element in the same document"). The
    help is said once under the column's heading and, for screen readers, in each row."""
    import re

    trip = TripFactory(travellers=[PersonFactory(name=f"Rejsende {n}") for n in range(3)])
    client.force_login(secretary)
    for address in (reverse("travel:trip_create"), reverse("travel:trip_edit", args=[trip.pk])):
        page = client.get(address).content.decode()
        page = page.split("<template", 1)[0]  # the empty row's copy is not in the document
        ids = set(re.findall(r' id="([^"]+)"', page))
        pointed = {
            target
            for targets in re.findall(r'aria-describedby="([^"]+)"', page)
            for target in targets.split()
        }
        assert "id_travellers-0-role_helptext" in pointed
        assert pointed - ids == set()
        heading = re.search(r'<th scope="col">Rolle <span class="help">([^<]+)</span>', page)
        assert heading and heading.group(1) == "Fx formand for udvalget."

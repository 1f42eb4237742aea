"""A committee secretary records, publishes and reports on a trip through the staff pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEntry
from tests.factories import BudgetLineFactory, CommitteeFactory, TripFactory
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

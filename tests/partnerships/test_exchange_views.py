"""A school coordinator registers and edits exchanges in the browser's forms."""

import datetime

import pytest
from django.urls import reverse

from partnerships.models import Exchange
from tests.factories import ExchangeFactory, PartnerCityFactory


@pytest.fixture
def form_data(db):
    city = PartnerCityFactory(name="Wuxi")
    return {
        "title": "Elevudveksling med Wuxi",
        "kind": "pupil_exchange",
        "school_or_unit": "Skovlunde Skole",
        "partner_city": str(city.pk),
        "other_destination": "",
        "direction": "outgoing",
        "starts_on": "2026-10-05",
        "ends_on": "2026-10-16",
        "pupils": "16",
        "teachers": "2",
        "staff": "0",
        "others": "0",
        "status": "planned",
        "report": "Værtsfamilier og undervisning på partnerskolen.",
    }


def test_coordinator_registers_an_exchange(client, coordinator, form_data):
    client.force_login(coordinator)
    response = client.post(reverse("partnerships:exchange_create"), form_data, follow=True)

    exchange = Exchange.objects.get()
    assert (exchange.title, exchange.pupils, exchange.teachers, exchange.participants) == (
        "Elevudveksling med Wuxi",
        16,
        2,
        18,
    )
    assert exchange.starts_on == datetime.date(2026, 10, 5)
    assert exchange.registered_by == coordinator
    assert response.redirect_chain == [(reverse("partnerships:exchange_list"), 302)]
    page = response.content.decode()
    assert "Elevudveksling med Wuxi" in page
    assert "er registreret" in page  # the confirmation, in Danish


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, coordinator, form_data):
    client.force_login(coordinator)
    data = {**form_data, "ends_on": "2026-10-01", "pupils": "0", "teachers": "0"}
    response = client.post(reverse("partnerships:exchange_create"), data)

    assert response.status_code == 200
    assert Exchange.objects.count() == 0
    page = response.content.decode()
    assert "Den sidste dag kan ikke ligge før den første dag." in page
    assert "Angiv mindst én deltager" in page
    assert 'value="Elevudveksling med Wuxi"' in page
    assert "Værtsfamilier og undervisning på partnerskolen." in page
    assert 'value="2026-10-05"' in page


def test_coordinator_edits_own_exchange(client, coordinator, form_data):
    exchange = ExchangeFactory(registered_by=coordinator, title="Old title")
    client.force_login(coordinator)
    data = {**form_data, "status": "carried_out"}
    client.post(reverse("partnerships:exchange_edit", args=[exchange.pk]), data)

    exchange.refresh_from_db()
    assert (exchange.title, exchange.status, exchange.registered_by) == (
        "Elevudveksling med Wuxi",
        "carried_out",
        coordinator,
    )


def test_coordinator_cannot_edit_another_coordinators_exchange(
    client, coordinator, other_coordinator, form_data
):
    exchange = ExchangeFactory(registered_by=other_coordinator, title="Theirs")
    client.force_login(coordinator)
    response = client.post(reverse("partnerships:exchange_edit", args=[exchange.pk]), form_data)

    assert response.status_code == 403
    exchange.refresh_from_db()
    assert exchange.title == "Theirs"


def test_administrator_edits_any_exchange(client, administrator, coordinator, form_data):
    exchange = ExchangeFactory(registered_by=coordinator, title="Theirs")
    client.force_login(administrator)
    client.post(reverse("partnerships:exchange_edit", args=[exchange.pk]), form_data)

    exchange.refresh_from_db()
    assert exchange.title == "Elevudveksling med Wuxi"


@pytest.mark.parametrize("persona", ["grant_officer", "secretary", "no_role"])
def test_other_roles_cannot_register(client, request, persona, form_data):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("partnerships:exchange_create"), form_data)

    assert response.status_code == 403
    assert Exchange.objects.count() == 0


def test_anonymous_post_goes_to_login_and_saves_nothing(client, form_data):
    response = client.post(reverse("partnerships:exchange_create"), form_data)

    assert response["Location"].startswith(reverse("login"))
    assert Exchange.objects.count() == 0


def test_editing_a_missing_exchange_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("partnerships:exchange_edit", args=[999])).status_code == 404


def test_staff_list_filters_by_year_and_kind(client, coordinator):
    ExchangeFactory(
        title="Wuxi 2025", starts_on=datetime.date(2025, 10, 6), ends_on=datetime.date(2025, 10, 17)
    )
    ExchangeFactory(
        title="Prag 2026", starts_on=datetime.date(2026, 4, 6), ends_on=datetime.date(2026, 4, 10)
    )
    ExchangeFactory(
        title="Placement 2026",
        kind="work_placement",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 13),
    )
    client.force_login(coordinator)

    response = client.get(reverse("partnerships:exchange_list"), {"year": "2026"})
    assert [e.title for e in response.context["page"]] == ["Prag 2026", "Placement 2026"]

    response = client.get(
        reverse("partnerships:exchange_list"), {"year": "2026", "kind": "work_placement"}
    )
    assert [e.title for e in response.context["page"]] == ["Placement 2026"]


def test_staff_list_uses_the_same_queries_for_one_row_and_many(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    ExchangeFactory(registered_by=coordinator)
    # The session is saved on every request (the idle timeout): a fixed cost.
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("partnerships:exchange_list"))
    ExchangeFactory.create_batch(40, registered_by=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("partnerships:exchange_list"))
    assert len(response.context["page"]) == 41

"""A school coordinator registers and edits exchanges in the browser's forms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Exchange, School
from tests.factories import ExchangeFactory, PartnerCityFactory, SchoolFactory


@pytest.fixture
def form_data(db):
    city = PartnerCityFactory(name="Wuxi")
    return {
        "title": "Elevudveksling med Wuxi",
        "kind": "pupil_exchange",
        "school": str(SchoolFactory(name="Skovlunde Skole").pk),
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


def test_exchanges_i_registered_this_year_counts_by_registration_not_by_dates(
    client, coordinator, other_coordinator
):
    """Registered last year for a visit this year: not this year's work. Registered this year
    for a visit next year: it is. The front page's count and the list it links to agree."""
    today = timezone.localdate()
    last_year = timezone.make_aware(datetime.datetime(today.year - 1, 11, 20, 12))

    def registered(title, by, starts_on, at=None):
        exchange = ExchangeFactory(
            title=title, registered_by=by, starts_on=starts_on, ends_on=starts_on
        )
        if at:
            Exchange.objects.filter(pk=exchange.pk).update(created_at=at)

    registered("Planned last year", coordinator, datetime.date(today.year, 3, 2), at=last_year)
    registered("For next year", coordinator, datetime.date(today.year + 1, 3, 2))
    registered("For this year", coordinator, datetime.date(today.year, 3, 2))
    registered("A colleague's", other_coordinator, datetime.date(today.year, 3, 2))
    client.force_login(coordinator)

    (count,) = client.get(reverse("staff_dashboard")).context["counts"]
    assert (str(count.label), count.count) == ("Udvekslinger, jeg har registreret i år", 2)
    listed = client.get(count.url).context["page"].object_list
    assert sorted(exchange.title for exchange in listed) == ["For next year", "For this year"]


def test_a_coordinator_reads_a_colleagues_exchange_but_edits_only_their_own(
    client, coordinator, other_coordinator
):
    """The list shows every exchange, each opening to be read, with "Rediger" only on the
    coordinator's own; a colleague's opens with its report and no way to edit it."""
    mine = ExchangeFactory(registered_by=coordinator, title="Mine")
    theirs = ExchangeFactory(
        registered_by=other_coordinator,
        title="Theirs",
        school=SchoolFactory(name="Baltorpskolen"),
        report="Værtsfamilierne var gode.",
    )
    client.force_login(coordinator)
    listing = client.get(reverse("partnerships:exchange_list")).content.decode()
    for exchange in (mine, theirs):
        assert reverse("partnerships:exchange_detail", args=[exchange.pk]) in listing
    assert reverse("partnerships:exchange_edit", args=[mine.pk]) in listing
    assert reverse("partnerships:exchange_edit", args=[theirs.pk]) not in listing

    page = client.get(reverse("partnerships:exchange_detail", args=[theirs.pk])).content.decode()
    assert "<h1>Theirs</h1>" in page
    assert "Baltorpskolen" in page and "Værtsfamilierne var gode." in page
    assert reverse("partnerships:exchange_edit", args=[theirs.pk]) not in page
    own = client.get(reverse("partnerships:exchange_detail", args=[mine.pk])).content.decode()
    assert reverse("partnerships:exchange_edit", args=[mine.pk]) in own

    assert client.get(reverse("partnerships:exchange_edit", args=[theirs.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["grant_officer", "secretary", "no_role"])
def test_other_roles_do_not_read_exchanges(client, request, persona, coordinator):
    exchange = ExchangeFactory(registered_by=coordinator, report="Intern rapport")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("partnerships:exchange_detail", args=[exchange.pk]))
    assert response.status_code == 403
    assert "Intern rapport" not in response.content.decode()


def test_the_coordinator_picks_the_school_from_the_list(client, coordinator, form_data):
    """The form offers the schools on record, in order of name; the exchange is linked to the
    one picked, and the list shows its name and filters by it."""
    SchoolFactory(name="Baltorpskolen")
    client.force_login(coordinator)
    form = client.get(reverse("partnerships:exchange_create")).context["form"]
    assert [label for _value, label in form.fields["school"].choices] == [
        "Vælg en skole eller enhed",
        "Baltorpskolen",
        "Skovlunde Skole",
    ]
    client.post(reverse("partnerships:exchange_create"), form_data)

    exchange = Exchange.objects.get()
    assert exchange.school.name == "Skovlunde Skole"
    listing = client.get(reverse("partnerships:exchange_list"), {"school": exchange.school_id})
    assert [e.title for e in listing.context["page"].object_list] == ["Elevudveksling med Wuxi"]
    assert '<td data-label="Skole eller enhed">Skovlunde Skole</td>' in listing.content.decode()
    other = client.get(
        reverse("partnerships:exchange_list"),
        {"school": SchoolFactory(name="Baltorpskolen").pk},
    )
    assert list(other.context["page"].object_list) == []


@pytest.mark.parametrize("school", ["", "999999", "Skovlunde Skole"])
def test_a_school_not_on_the_list_is_refused_at_the_field_and_nothing_is_saved(
    client, coordinator, form_data, school
):
    client.force_login(coordinator)
    response = client.post(reverse("partnerships:exchange_create"), {**form_data, "school": school})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["school"]
    assert Exchange.objects.count() == 0
    page = response.content.decode()
    assert 'value="Elevudveksling med Wuxi"' in page
    assert "Værtsfamilier og undervisning på partnerskolen." in page


def test_an_administrator_adds_a_school_that_coordinators_then_pick(
    client, administrator, coordinator
):
    client.force_login(administrator)
    client.post(
        reverse("admin:partnerships_school_add"),
        {"name": "Måløvhøj Skole", "address": "Måløvhøj 1, 2760 Måløv"},
    )
    assert list(School.objects.values_list("name", "address")) == [
        ("Måløvhøj Skole", "Måløvhøj 1, 2760 Måløv")
    ]
    client.force_login(coordinator)
    form = client.get(reverse("partnerships:exchange_create")).context["form"]
    assert "Måløvhøj Skole" in [label for _value, label in form.fields["school"].choices]


def test_a_coordinator_cannot_add_a_school_in_the_admin(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("admin:partnerships_school_add"), {"name": "Min egen skole"})
    assert not School.objects.exists()

"""What a citizen sees: partner cities, networks and charters, in fixed query counts."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from partnerships.models import CharterAttachment
from tests.factories import (
    CharterFactory,
    ConsortiumFactory,
    ExchangeFactory,
    FocusAreaFactory,
    GrantApplicationFactory,
    MembershipFactory,
    NetworkMemberCityFactory,
    PartnerCityFactory,
    TripFactory,
)

pytestmark = pytest.mark.django_db


def _cities(count: int) -> None:
    areas = [FocusAreaFactory(), FocusAreaFactory()]
    consortium = ConsortiumFactory()
    for _ in range(count):
        PartnerCityFactory(consortium=consortium).focus_areas.set(areas)


def _networks(count: int) -> None:
    for _ in range(count):
        membership = MembershipFactory(annual_fee=12_500)
        NetworkMemberCityFactory.create_batch(3, network=membership.network)


@pytest.mark.parametrize(
    ("url", "make"),
    [
        (reverse("home"), lambda n: (_cities(n), _networks(n))),
        (reverse("partnerships:city_list"), _cities),
        (reverse("partnerships:network_list"), _networks),
        (reverse("partnerships:charter_list"), lambda n: CharterFactory.create_batch(n)),
    ],
)
def test_list_pages_use_the_same_queries_for_one_row_and_many(
    client, django_assert_max_num_queries, url, make
):
    make(1)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    make(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_detail_pages_use_the_same_queries_however_much_they_show(
    client, django_assert_max_num_queries
):
    city = PartnerCityFactory()
    membership = MembershipFactory()
    charter = CharterFactory(network=membership.network)
    urls = [
        city.get_absolute_url(),
        membership.network.get_absolute_url(),
        charter.get_absolute_url(),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(10) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))

    for year in range(2000, 2030):
        ExchangeFactory(
            partner_city=city,
            starts_on=datetime.date(year, 5, 1),
            ends_on=datetime.date(year, 5, 9),
        )
    NetworkMemberCityFactory.create_batch(30, network=membership.network)
    for n in range(10):
        attachment = CharterAttachment(charter=charter, title=f"Bilag {n}")
        attachment.file.save(f"bilag{n}.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    for n in range(12):  # trips to the city, and grants for travel there
        TripFactory(partner_city=city, slug=f"tur-{n}")
        GrantApplicationFactory(
            partner_city=city,
            state="approved",
            amount_granted=1000,
            decided_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        )

    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


def test_partner_city_shows_activity_in_aggregate_and_never_personal_details(client, settings):
    settings.STATISTICS_MIN_GROUP = 1  # the counting itself; small groups: tests/portal
    city = PartnerCityFactory(name="South Lanarkshire")
    ExchangeFactory(
        partner_city=city,
        kind="work_placement",
        pupils=5,
        teachers=0,
        starts_on=datetime.date(2010, 3, 8),
        ends_on=datetime.date(2010, 3, 19),
        title="Praktik for Peter Jensen",
        report="Peter Jensen var café-servitør.",
    )
    ExchangeFactory(
        partner_city=city,
        kind="work_placement",
        pupils=0,
        teachers=0,
        staff=2,
        starts_on=datetime.date(2010, 9, 6),
        ends_on=datetime.date(2010, 10, 15),
    )
    ExchangeFactory(
        partner_city=city,
        kind="incoming_visit",
        pupils=0,
        teachers=0,
        staff=13,
        starts_on=datetime.date(2009, 5, 1),
        ends_on=datetime.date(2009, 5, 5),
    )
    ExchangeFactory(
        partner_city=city,
        status="cancelled",
        pupils=30,
        starts_on=datetime.date(2010, 6, 1),
        ends_on=datetime.date(2010, 6, 5),
    )

    response = client.get(city.get_absolute_url())

    years = response.context["activity_years"]
    assert [(y["year"], y["activities"], y["participants"]) for y in years] == [
        (2010, 2, 7),
        (2009, 1, 13),
    ]
    assert [(r["kind"], r["activities"], r["pupils"], r["staff"]) for r in years[0]["rows"]] == [
        ("work_placement", 2, 5, 2),
    ]
    page = response.content.decode()
    assert "Peter Jensen" not in page
    assert "Test School" not in page


def test_city_list_filters_by_kind_and_focus_area(client):
    youth = FocusAreaFactory(slug="children-youth")
    PartnerCityFactory(name="Prag 10", kind="twin_town").focus_areas.add(youth)
    PartnerCityFactory(name="Wuxi", kind="partnership").focus_areas.add(youth)
    PartnerCityFactory(name="Brandenburg an der Havel", kind="partnership")

    def names(**params):
        page = client.get(reverse("partnerships:city_list"), params).context["page"]
        return [city.name for city in page]

    assert names() == ["Brandenburg an der Havel", "Prag 10", "Wuxi"]
    assert names(kind="partnership") == ["Brandenburg an der Havel", "Wuxi"]
    assert names(focus_area="children-youth") == ["Prag 10", "Wuxi"]
    assert names(kind="partnership", focus_area="children-youth") == ["Wuxi"]


def test_network_page_shows_members_population_role_and_fee(client):
    membership = MembershipFactory(
        network__name="Edge Cities Network", role="steering_group", annual_fee=15_000
    )
    membership.working_groups.create(name_da="Sundhed", name_en="Health")
    NetworkMemberCityFactory(network=membership.network, name="Getafe", population=180_000)
    NetworkMemberCityFactory(
        network=membership.network, name="Grodzisk Mazowiecki", population=37_437
    )

    danish = client.get(membership.network.get_absolute_url()).content.decode()
    english = client.get("/en" + membership.network.get_absolute_url()).content.decode()

    assert "180.000" in danish and "37.437" in danish and "217.437" in danish
    assert "15.000\u00a0kr." in danish and "Styregruppe" in danish and "Sundhed" in danish
    assert "217,437" in english and "DKK\u00a015,000" in english and "Health" in english


def test_charter_attachment_is_served_inline(client):
    charter = CharterFactory()
    attachment = CharterAttachment(charter=charter, title="Charter text")
    attachment.file.save("charter.pdf", ContentFile(b"%PDF-1.4 charter\n"), save=True)

    page = client.get(charter.get_absolute_url()).content.decode()
    url = reverse("partnerships:charter_attachment", args=[charter.slug, attachment.pk])
    assert url in page
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 charter\n"
    assert response["Content-Type"] == "application/pdf"


def test_an_untranslated_description_is_marked_and_said_to_be_untranslated(client, db):
    from tests.factories import PartnerCityFactory

    city = PartnerCityFactory(description_da="Venskabsby siden 1990.", description_en="")
    address = city.get_absolute_url()
    english = client.get("/en" + address).content.decode()
    assert '<div class="prose" lang="da"><p>Venskabsby siden 1990.</p></div>' in english
    assert "has not been translated into this page&#x27;s language; it is shown in Danish" in (
        english
    )
    german = client.get("/de" + address).content.decode()
    assert "er wird auf Dänisch gezeigt" in german
    danish = client.get(address).content.decode()
    assert 'class="untranslated"' not in danish

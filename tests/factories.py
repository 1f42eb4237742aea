import datetime
from contextlib import contextmanager
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from budgets import models as budgets
from grants import models as grants
from grants import totals as grants_totals
from partnerships import models as partnerships
from partnerships.enums import ExchangeDirection, ExchangeKind, PartnerCityKind
from portal.slugs import slugify_name as slugify
from travel import models as travel
from travel import totals as travel_totals


@contextmanager
def rows_of(trip):
    """A test changing a trip's rows directly, as the staff pages would: the kept figures
    and totals move with it (travel.totals)."""
    with transaction.atomic(), travel_totals.changing(Q(pk=trip.pk)):
        yield


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@kommune.example")
    first_name = "Test"
    password = factory.django.Password("password")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.FocusArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    name_da = factory.Sequence(lambda n: f"Område {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")


class ConsortiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.Consortium

    name = factory.Sequence(lambda n: f"Consortium {n}")


class PartnerCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.PartnerCity

    slug = factory.Sequence(lambda n: f"city-{n}")
    name = factory.Sequence(lambda n: f"City {n}")
    country = "DE"
    kind = PartnerCityKind.TWIN_TOWN
    description_da = "Dansk beskrivelse"
    description_en = "English description"


class CityNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.CityNetwork

    slug = factory.Sequence(lambda n: f"network-{n}")
    name = factory.Sequence(lambda n: f"Network {n}")


class NetworkMemberCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.NetworkMemberCity

    network = factory.SubFactory(CityNetworkFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    country = "SE"
    population = 50_000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.Membership

    network = factory.SubFactory(CityNetworkFactory)
    role = "member"


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.Charter

    slug = factory.Sequence(lambda n: f"charter-{n}")
    title = factory.Sequence(lambda n: f"Charter {n}")
    network = factory.SubFactory(CityNetworkFactory)
    case_number = "2010-16508"
    decision_date = datetime.date(2010, 2, 12)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.School
        django_get_or_create = ["name"]

    name = "Test School"


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partnerships.Exchange

    title = factory.Sequence(lambda n: f"Exchange {n}")
    kind = ExchangeKind.PUPIL_EXCHANGE
    school = factory.SubFactory(SchoolFactory)
    partner_city = factory.SubFactory(PartnerCityFactory)
    direction = ExchangeDirection.OUTGOING
    starts_on = datetime.date(2025, 10, 6)
    ends_on = datetime.date(2025, 10, 17)
    pupils = 10
    teachers = 2


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = budgets.Committee
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"committee-{n}")
    name_da = factory.Sequence(lambda n: f"Udvalg {n}")
    name_en = factory.Sequence(lambda n: f"Committee {n}")


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = budgets.BudgetYear
        django_get_or_create = ["year"]

    year = 2026


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = budgets.BudgetLine

    budget_year = factory.SubFactory(BudgetYearFactory)
    code = factory.Sequence(lambda n: f"L{n}")
    name_da = factory.Sequence(lambda n: f"Linje {n}")
    name_en = factory.Sequence(lambda n: f"Line {n}")
    kind = "central"
    amount = Decimal("150000")

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """A kind may be given by its code; the default kinds are made where missing (a
        transactional test empties the tables the data migration filled)."""
        from budgets.institutions import ensure_line_kinds

        if isinstance(kwargs.get("kind"), str):
            kwargs["kind"] = ensure_line_kinds()[kwargs["kind"]]
        return kwargs


class StaffResourceFactory(factory.django.DjangoModelFactory):
    """The strategy's half post for central coordination."""

    class Meta:
        model = budgets.StaffResource

    budget_year = factory.SubFactory(BudgetYearFactory)
    description_da = "Central koordination og support"
    description_en = "Central coordination and support"
    description_de = "Zentrale Koordination und Unterstützung"
    full_time_equivalents = Decimal("0.5")


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = budgets.Initiative

    budget_year = factory.SubFactory(BudgetYearFactory)
    number = factory.Sequence(lambda n: f"1.{n:02d}")
    title = factory.Sequence(lambda n: f"Initiative {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = travel.Person
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.LazyAttribute(lambda person: slugify(person.name))
    kind = "politician"


class TripFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = travel.Trip
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"trip-{n}")
    title = factory.Sequence(lambda n: f"Trip {n}")
    purpose = "Learn"
    destination_city = "Wuxi"
    destination_country = "CN"
    starts_on = datetime.date(2025, 10, 13)
    ends_on = datetime.date(2025, 10, 19)
    state = "published"
    published_at = factory.LazyFunction(
        lambda: datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC)
    )

    @factory.post_generation
    def costs(trip, create, extracted, **kwargs):
        """TripFactory(costs=[("transport", budgeted, actual), ...], travellers=[...])."""
        for category, budgeted, actual in extracted or []:
            travel.AccountLine.objects.create(
                trip=trip, category=category, budgeted=budgeted, actual=actual
            )

    @factory.post_generation
    def travellers(trip, create, extracted, **kwargs):
        for person in extracted or []:
            travel.TripTraveller.objects.create(trip=trip, person=person, role="Member")

    @factory.post_generation
    def counted(trip, create, extracted, **kwargs):
        """Test data is written directly, as an import would be: count the kept totals."""
        if create:
            travel_totals.added(trip)


class GrantSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = grants.GrantScheme
        django_get_or_create = ["slug"]

    slug = "ungdomsrejser"
    name_da = "Rejsetilskud til unge"
    name_en = "Youth travel grants"
    budget_line_code = "INT-UNG"
    applicant_kinds = ["young_person", "youth_association", "twin_town_association"]
    requires_under_25 = True
    requires_partner_city = True
    opens_on = datetime.date(2020, 1, 1)
    closes_on = datetime.date(2099, 12, 31)
    cap = Decimal("15000")


class GrantApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = grants.GrantApplication

    scheme = factory.SubFactory(GrantSchemeFactory)
    state = "submitted"
    applicant_kind = "youth_association"
    applicant_name = "Sofie Jensen"
    applicant_email = factory.Sequence(lambda n: f"applicant{n}@example.dk")
    organisation = "FDF Ballerup"
    purpose = "Lejr"
    partner_city = factory.SubFactory(PartnerCityFactory)
    departs_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))
    returns_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=65))
    participants = 10
    participants_under_25 = 9
    cost_travel = Decimal("20000")
    amount_requested = Decimal("12000")
    email_confirmed_at = factory.LazyAttribute(
        lambda application: None if application.state == "unconfirmed" else timezone.now()
    )

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Test data is written directly, as an import would be: count the kept totals."""
        super()._after_postgeneration(instance, create, results)
        if create:
            grants_totals.added(instance)

"""Public statistics: what was granted, never who applied."""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from grants.enums import DECIDED, ApplicantKind, ApplicationState
from grants.models import GrantApplication, GrantScheme
from portal.i18n import all_languages, from_row
from portal.statistics import is_small, published_until

# Only organisations are ever named in public, and only with their consent.
ASSOCIATIONS = [
    ApplicantKind.YOUTH_ASSOCIATION,
    ApplicantKind.TWIN_TOWN_ASSOCIATION,
    ApplicantKind.SCHOOL,
]


def officer_cases():
    """The cases officers see: every application whose applicant confirmed their address."""
    return GrantApplication.objects.exclude(state=ApplicationState.UNCONFIRMED)


def granted():
    return GrantApplication.objects.filter(state__in=DECIDED, amount_granted__isnull=False)


def published_grants():
    """Grants whose decisions the statistics publish: decided in a month that has ended."""
    return granted().filter(decided_at__lt=published_until())


def statistics() -> list[dict]:
    """Per scheme and year of decision: amount granted and number of trips. One query,
    plus one for the partner cities and one for consenting associations.

    Only decisions from months that have ended count, and a group of fewer than
    STATISTICS_MIN_GROUP grants shows no figures, cities or names (`suppressed`)."""
    decided = published_grants()
    rows = list(
        decided.annotate(year=ExtractYear("decided_at"))
        .values("year", "scheme__pk", "scheme__slug", *all_languages("scheme__name"))
        .annotate(amount=Sum("amount_granted"), trips=Count("pk"))
        .order_by("-year", "scheme__name", "scheme__pk")
    )
    cities = {}
    for year, scheme, city in (
        decided.filter(partner_city__isnull=False)
        .annotate(year=ExtractYear("decided_at"))
        .values_list("year", "scheme__pk", "partner_city__name")
        .distinct()
        .order_by("partner_city__name")
    ):
        cities.setdefault((year, scheme), []).append(city)
    associations = {}
    for year, scheme, name in (
        decided.filter(organisation_may_be_published=True, applicant_kind__in=ASSOCIATIONS)
        .exclude(organisation="")
        .annotate(year=ExtractYear("decided_at"))
        .values_list("year", "scheme__pk", "organisation")
        .distinct()
        .order_by("organisation")
    ):
        associations.setdefault((year, scheme), []).append(name)
    for row in rows:
        key = (row["year"], row["scheme__pk"])
        row["scheme_name"] = from_row(row, "scheme__name")
        row["suppressed"] = is_small(row["trips"])
        if row["suppressed"]:
            row.update(trips=None, amount=None, partner_cities=[], associations=[])
        else:
            row["partner_cities"] = cities.get(key, [])
            row["associations"] = associations.get(key, [])
    return rows


def grants_to_city(city) -> dict:
    """Grants for travel to a partner city, in aggregate, by the statistics' rules (months
    that have ended; fewer than the threshold: no figures). One query."""
    totals = (
        granted()
        .filter(partner_city=city, decided_at__lt=published_until())
        .aggregate(count=Count("pk"), amount=Sum("amount_granted"))
    )
    if not totals["count"]:
        return {"count": 0, "amount": None, "suppressed": False}
    if is_small(totals["count"]):
        return {"count": None, "amount": None, "suppressed": True}
    return {**totals, "suppressed": False}


def search_schemes(query: str):
    from portal import search

    fields = [*all_languages("name"), *all_languages("text")]
    schemes = GrantScheme.objects.all()
    return search.ranked(
        schemes.filter(search.matches(schemes, fields, query)), fields, query, "name"
    )

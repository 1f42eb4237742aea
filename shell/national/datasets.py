"""The national comparison's downloads: its figures per municipality and year, and every
published trip of the municipalities in it in one format. Declared as the municipalities'
datasets are (portal.opendata), but not registered: they are the service's, not any
municipality's, and its own catalogue lists them (shell.national.views.catalogue)."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from portal.opendata import Column, Dataset
from travel.datasets import TITLE, WHEN_AND_WHERE
from travel.enums import AccountCategory, PersonKind
from travel.models import AccountLine
from travel.selectors import published, travellers_of


def _count(key, label, description):
    return Column(key, label, description, "integer", nullable=True)


def _amount(key, label, description):
    return Column(key, label, description, "decimal", nullable=True)


FIGURES = Dataset(
    slug="national-comparison",
    title=_("Municipalities compared"),
    description=_(
        "Per municipality and year: published trips abroad, their cost per inhabitant and per "
        "participant, politicians and officials travelling, how many trips were published in "
        "time, trips overdue, and travel grants awarded per inhabitant."
    ),
    page="national",
    columns=(
        Column("municipality", _("Identifier"), _("The municipality's short name in addresses.")),
        Column("municipality_name", _("Municipality"), _("The municipality's name.")),
        Column("region", _("Region"), _("The region the municipality is in.")),
        Column("year", _("Year"), _("Year of departure (trips) or decision (grants)."), "integer"),
        Column(
            "currency",
            _("Currency"),
            _("The currency of the municipality's amounts (ISO 4217)."),
            "code",
        ),
        _count("inhabitants", _("Inhabitants"), _("Inhabitants that year; empty when unknown.")),
        Column("trips", _("Trips"), _("Trips abroad of that year that are published."), "integer"),
        Column("cost", _("Cost"), _("The published trips' actual cost added up."), "decimal"),
        _amount(
            "cost_per_inhabitant",
            _("Cost per inhabitant"),
            _("The cost divided by the inhabitants; empty when the population is unknown."),
        ),
        _amount(
            "cost_per_participant",
            _("Cost per participant"),
            _("The cost divided by everyone who travelled; empty when no one did."),
        ),
        Column(
            "politicians",
            _("Politicians travelling"),
            _("Places on the trips taken by politicians (one person on two trips counts twice)."),
            "integer",
        ),
        Column(
            "officials",
            _("Officials travelling"),
            _("Places on the trips taken by officials (one person on two trips counts twice)."),
            "integer",
        ),
        Column(
            "participants",
            _("Participants"),
            _("Everyone who travelled: politicians, officials and others."),
            "integer",
        ),
        Column(
            "provisional",
            _("Provisional"),
            _("Whether any of the trips still has provisional accounts."),
            "boolean",
        ),
        Column(
            "deadline_days",
            _("Deadline in days"),
            _("Days after its return within which the municipality publishes a trip."),
            "integer",
        ),
        Column(
            "published_in_time",
            _("Published in time"),
            _("Published trips that were published within the deadline."),
            "integer",
        ),
        Column(
            "in_time_share",
            _("Share published in time"),
            _("Published in time, in percent of the published trips; empty when there are none."),
            "number",
            nullable=True,
        ),
        Column(
            "overdue",
            _("Overdue"),
            _("Trips that returned and are still not published after the deadline."),
            "integer",
        ),
        _count(
            "grants",
            _("Grants"),
            _("Travel grants awarded that year, as the municipality's statistics publish them."),
        ),
        _amount(
            "grants_amount",
            _("Grants awarded"),
            _("The amount of those grants; empty when none are published."),
        ),
        _amount(
            "grants_per_inhabitant",
            _("Grants per inhabitant"),
            _("The amount of grants divided by the inhabitants; empty when either is unknown."),
        ),
        Column(
            "grants_withheld",
            _("Grants withheld"),
            _(
                "Whether a scheme had too few grants that year to publish them: they are not "
                "in the figures."
            ),
            "boolean",
        ),
    ),
)


def costs_of(trip_keys: list) -> dict:
    """Each trip's actual cost per account category, for a chunk of trips: one query."""
    costs: dict = {}
    rows = (
        AccountLine.objects.filter(trip__in=trip_keys)
        .order_by()
        .values_list("trip", "category")
        .annotate(total=Sum("actual"))
    )
    for trip, category, total in rows:
        costs.setdefault(trip, {})[category] = total
    return costs


def national_trips():
    """Every published trip of the municipalities in the comparison, municipality by
    municipality, oldest first (read in chunks by the download)."""
    return (
        published()
        .filter(municipality__publishes_nationally=True)
        .order_by("municipality__name", "municipality", "starts_on", "pk")
    )


def _category_column(category, label) -> Column:
    return Column(
        f"cost_{category}",
        label,
        _("Actual cost in this category."),
        "decimal",
        lambda trip: trip["account_costs"].get(category) or 0,
        reads=("account_costs",),
    )


TRIPS = Dataset(
    slug="national-trips",
    title=_("Trips abroad of every municipality"),
    description=_(
        "Every published trip abroad of the municipalities in the national comparison, in one "
        "format: the municipality, title, purpose, dates, destination, the travellers' roles "
        "and the cost by category."
    ),
    page="national_trips",
    plain_rows=True,
    lists={"traveller_list": travellers_of, "account_costs": costs_of},
    columns=(
        Column(
            "municipality",
            _("Municipality"),
            _("The municipality's short name (its name in the CSV)."),
            value=lambda trip: trip["municipality"].slug,
            words=lambda trip: trip["municipality"].name,
            reads=("municipality__slug", "municipality__name"),
        ),
        Column(
            "currency",
            _("Currency"),
            _("The currency of the trip's amounts (ISO 4217)."),
            "code",
            value=lambda trip: trip["municipality"].currency,
            words=lambda trip: trip["municipality"].currency,
            reads=("municipality__currency",),
        ),
        Column("slug", _("Identifier"), _("The trip's identifier within its municipality.")),
        TITLE,
        Column("purpose", _("Purpose"), _("Why the trip was made."), translated="purpose"),
        *WHEN_AND_WHERE,
        Column(
            "travellers",
            _("Travellers' roles"),
            _(
                "The role of each politician and official who travelled, and whether they "
                "travelled as a politician or an official (no names: the municipality's own "
                "pages name them)."
            ),
            "list",
            lambda trip: [{"role": t.role, "kind": t.person.kind} for t in trip["traveller_list"]],
            words=lambda trip: [
                f"{t.role} ({PersonKind(t.person.kind).label})"
                if t.person.kind in PersonKind.values
                else t.role
                for t in trip["traveller_list"]
            ],
            reads=("traveller_list",),
        ),
        Column("politicians", _("Politicians"), _("Politicians who travelled."), "integer"),
        Column("officials", _("Officials"), _("Officials who travelled."), "integer"),
        Column(
            "other_participants",
            _("Other participants"),
            _("Participants paid for who are neither politicians nor officials."),
            "integer",
        ),
        *[_category_column(category, label) for category, label in AccountCategory.choices],
        Column("total_actual", _("Total"), _("The trip's actual cost."), "decimal"),
    ),
)

DATASETS = {dataset.slug: dataset for dataset in (FIGURES, TRIPS)}

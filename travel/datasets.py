from django.utils.translation import gettext_lazy as _

from portal.countries import country_name
from portal.opendata import (
    Column,
    Dataset,
    identifier_column,
    period_of,
    record_column,
    register,
    url_column,
)
from travel.enums import AccountsStatus, PersonKind
from travel.figures import cost_per_participant, participants, report_is_public
from travel.models import HEAD_COUNT_FIELDS, trip_address
from travel.selectors import published, travellers_of

# The trips' datasets read plain rows (values() of what their columns read, with related
# records attached: `Dataset.rows`) and work their figures out by travel.figures.


def _participants(trip: dict) -> int:  # reads HEAD_COUNT_FIELDS
    return participants(trip["politicians"], trip["officials"], trip["other_participants"])


COST_PER_PARTICIPANT = Column(
    "cost_per_participant",
    _("Per participant"),
    _("Actual cost divided by all participants; empty when no one is counted."),
    "decimal",
    lambda trip: cost_per_participant(trip["total_actual"], _participants(trip)),
    nullable=True,
    reads=("total_actual", *HEAD_COUNT_FIELDS),
)
ACCOUNTS_STATUS = Column(
    "accounts_status",
    _("Accounts"),
    _("Provisional until the last invoice is in, then final: a provisional cost may still change."),
    "code",
    choices=AccountsStatus,
)

# A trip's title, dates and destination: the same columns in the national dataset of every
# municipality's trips (shell.national.datasets).
TITLE = Column("title", _("Trip"), _("The trip's title."), translated="title")
WHEN_AND_WHERE = (
    Column("starts_on", _("Departure"), _("Day of departure."), "date"),
    Column("ends_on", _("Return"), _("Day of return."), "date"),
    Column("destination_city", _("Destination"), _("The city travelled to.")),
    Column(
        "destination_country",
        _("Country"),
        _("The destination's country: its name in the CSV, its ISO 3166 code in the JSON."),
        "code",
        words=lambda trip: country_name(trip["destination_country"]),
        reads=("destination_country",),
    ),
)

# The published trips' period: the trips, their travellers and a person's trips share it.
PUBLISHED_PERIOD = period_of(published, "starts_on", "ends_on")

TRIPS = register(
    Dataset(
        slug="trips",
        period=PUBLISHED_PERIOD,
        title=_("Trips abroad"),
        description=_(
            "Every published trip abroad by politicians and officials: dates, destination, "
            "who travelled, what it cost and whether the report is approved."
        ),
        page="travel:list",
        api="api:trip-list",
        plain_rows=True,
        lists={"traveller_list": travellers_of},
        # The list page's table (travel/trip_list.html): it reads only what these read.
        page_columns=(
            "title",
            "starts_on",
            "ends_on",
            "destination_city",
            "destination_country",
            "committee",
            "unit",
            "politicians",
            "officials",
            "participants",
            "total_actual",
            "cost_per_participant",
            "accounts_status",
            "report_approved",
            "url",
        ),
        columns=(
            identifier_column(in_api=True),
            TITLE,
            *WHEN_AND_WHERE,
            record_column(
                "partner_city",
                _("Partner city"),
                _(
                    "The partner city visited, if the trip was to one (its name in the CSV and "
                    "the spreadsheet, its identifier in the JSON)."
                ),
            ),
            record_column(
                "committee",
                _("Sent by"),
                _(
                    "The committee that sent the trip (its name in the CSV, its identifier in "
                    "the JSON); empty when the administration did."
                ),
            ),
            Column("unit", _("Unit"), _("The administrative unit, when no committee sent it.")),
            record_column(
                "network",
                _("Network"),
                _(
                    "The city network the trip was made for, if any (its name in the CSV, its "
                    "identifier in the JSON)."
                ),
            ),
            Column("politicians", _("Politicians"), _("Politicians who travelled."), "integer"),
            Column("officials", _("Officials"), _("Officials who travelled."), "integer"),
            Column(
                "other_participants",
                _("Other participants"),
                _("Participants paid for who are neither politicians nor officials."),
                "integer",
            ),
            Column(
                "participants",
                _("Participants"),
                _("All participants together."),
                "integer",
                _participants,
                reads=HEAD_COUNT_FIELDS,
            ),
            Column(
                "travellers",
                _("Travellers"),
                _(
                    "The politicians and officials who travelled, with their role: in the CSV "
                    "as names, in the JSON with each person's identifier and kind."
                ),
                "list",
                lambda trip: [
                    {
                        "person": t.person.slug,
                        "name": t.person.name,
                        "kind": t.person.kind,
                        "role": t.role,
                    }
                    for t in trip["traveller_list"]
                ],
                words=lambda trip: [f"{t.person.name} ({t.role})" for t in trip["traveller_list"]],
                reads=("traveller_list",),
                json_schema={
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "person": {"type": "string"},
                            "name": {"type": "string"},
                            "kind": {"type": "string", "enum": list(PersonKind.values)},
                            "role": {"type": "string"},
                        },
                        "required": ["person", "name", "kind", "role"],
                    },
                },
            ),
            Column("total_budgeted", _("Budgeted"), _("Budgeted cost."), "decimal"),
            Column("total_actual", _("Cost"), _("Actual cost."), "decimal"),
            COST_PER_PARTICIPANT,
            ACCOUNTS_STATUS,
            Column(
                "report_approved",
                _("Report approved"),
                _("Whether the committee has approved the report and it is published."),
                "boolean",
                lambda trip: report_is_public(trip["state"]),
                reads=("state",),
            ),
            Column("purpose", _("Purpose"), _("Why the trip was made."), translated="purpose"),
            url_column(
                _("The trip's page, with programme, accounts and report."),
                address=lambda trip: trip_address(trip["slug"]),
                reads=("slug",),
            ),
        ),
    )
)

TRAVELLERS = register(
    Dataset(
        slug="travellers",
        period=PUBLISHED_PERIOD,
        title=_("People who travelled"),
        description=_(
            "The politicians and officials who went on published trips: per person and year, "
            "how many trips and what they cost (each trip's cost per participant)."
        ),
        page="travel:people",
        columns=(
            Column(
                "name", _("Name"), _("The person's name."), value=lambda row: row["person"].name
            ),
            Column(
                "kind",
                _("Politician or official"),
                _("Whether the person travelled as a politician or an official."),
                "code",
                lambda row: row["person"].kind,
                choices=PersonKind,
            ),
            Column("year", _("Year"), _("Year of departure."), "integer"),
            Column("trips", _("Trips"), _("Published trips that year."), "integer"),
            Column(
                "cost",
                _("Cost"),
                _("The trips' cost per participant, added up."),
                "decimal",
            ),
            Column(
                "provisional",
                _("Provisional"),
                _("Whether any of the year's trips still has provisional accounts."),
                "boolean",
            ),
            url_column(_("The person's page, with each trip."), lambda row: row["person"]),
        ),
    )
)

# One person's trips: the download of each person's page, reached from the people's index.
PERSON_TRIPS = register(
    Dataset(
        slug="person-trips",
        period=PUBLISHED_PERIOD,
        title=_("A person's trips"),
        description=_("The published trips one person went on, with the cost per participant."),
        page="travel:person",
        index="travel:people",
        plain_rows=True,
        columns=(
            Column(
                "year",
                _("Year"),
                _("Year of departure."),
                "integer",
                lambda trip: trip["starts_on"].year,
                reads=("starts_on",),
            ),
            Column("title", _("Trip"), _("The trip's title."), translated="title"),
            Column("starts_on", _("Departure"), _("Day of departure."), "date"),
            Column("ends_on", _("Return"), _("Day of return."), "date"),
            Column("destination_city", _("Destination"), _("The city travelled to.")),
            COST_PER_PARTICIPANT,
            ACCOUNTS_STATUS,
            url_column(
                _("The trip's page."),
                address=lambda trip: trip_address(trip["slug"]),
                reads=("slug",),
            ),
        ),
    )
)

from django.utils.translation import gettext_lazy as _

from portal.opendata import Column, Dataset, identifier_column, register, url_column
from travel.enums import AccountsStatus

TRIPS = register(
    Dataset(
        slug="trips",
        title=_("Trips abroad"),
        description=_(
            "Every published trip abroad by politicians and officials: dates, destination, "
            "who travelled, what it cost and whether the report is approved."
        ),
        page="travel:list",
        api="api:trip-list",
        columns=(
            identifier_column(in_api=True),
            Column("title", _("Trip"), _("The trip's title.")),
            Column("starts_on", _("Departure"), _("Day of departure."), "date"),
            Column("ends_on", _("Return"), _("Day of return."), "date"),
            Column("destination_city", _("Destination"), _("The city travelled to.")),
            Column(
                "destination_country",
                _("Country"),
                _("ISO 3166 country code of the destination."),
                "code",
                lambda trip: trip.destination_country.code,
            ),
            Column(
                "partner_city",
                _("Partner city"),
                _("Identifier of the partner city visited, if the trip was to one."),
                value=lambda trip: trip.partner_city.slug if trip.partner_city else "",
            ),
            Column(
                "committee",
                _("Sent by"),
                _("The committee that sent the trip; empty when the administration did."),
                value=lambda trip: trip.committee.name if trip.committee else "",
            ),
            Column("unit", _("Unit"), _("The administrative unit, when no committee sent it.")),
            Column("politicians", _("Politicians"), _("Politicians who travelled."), "integer"),
            Column("officials", _("Officials"), _("Officials who travelled."), "integer"),
            Column(
                "other_participants",
                _("Other participants"),
                _("Participants paid for who are neither politicians nor officials."),
                "integer",
            ),
            Column("participants", _("Participants"), _("All participants together."), "integer"),
            Column(
                "travellers",
                _("Travellers"),
                _("Names of the politicians and officials who travelled, with their role."),
                "list",
                lambda trip: [f"{t.person.name} ({t.role})" for t in trip.travellers.all()],
            ),
            Column("total_budgeted", _("Budgeted"), _("Budgeted cost in kroner."), "decimal"),
            Column("total_actual", _("Cost"), _("Actual cost in kroner."), "decimal"),
            Column(
                "cost_per_participant",
                _("Per participant"),
                _("Actual cost divided by all participants."),
                "decimal",
            ),
            Column(
                "accounts_status",
                _("Accounts"),
                _(
                    "Provisional until the last invoice is in, then final: a provisional cost "
                    "may still change."
                ),
                "code",
                choices=AccountsStatus,
            ),
            Column(
                "report_approved",
                _("Report approved"),
                _("Whether the committee has approved the report and it is published."),
                "boolean",
                lambda trip: trip.report_is_public,
            ),
            url_column(_("The trip's page, with programme, accounts and report.")),
        ),
    )
)

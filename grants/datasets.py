from django.utils.translation import gettext_lazy as _

from grants import threesixty
from grants.enums import ApplicantKind
from grants.models import GrantScheme
from grants.selectors import published_period
from portal.opendata import (
    Column,
    Dataset,
    StandardFile,
    identifier_column,
    period_of,
    register,
    url_column,
)

GRANT_STATISTICS = register(
    Dataset(
        slug="grant-statistics",
        period=published_period,
        title=_("Travel grants granted"),
        description=_(
            "What each grant scheme granted per year of decision, how many trips it supported "
            "and to which partner cities, for the months that have ended. No applicant is "
            "named; associations only when they agreed to it; groups of fewer grants than the "
            "threshold are shown without figures."
        ),
        page="grants:statistics",
        api="api:grant-statistics-list",
        standard_files=(
            StandardFile(
                "360Giving",
                _(
                    "The same figures in the 360Giving Data Standard (JSON), as grant data from "
                    "funders is shared: one grant record per scheme and year, the recipients "
                    "not named."
                ),
                "grants:statistics_360",
                threesixty.STANDARD,
                available=threesixty.has_grants,
            ),
        ),
        columns=(
            Column("year", _("Year"), _("Year of the decisions."), "integer"),
            Column(
                "scheme",
                _("Scheme's identifier"),
                _("The grant scheme's stable identifier, as the grants page's addresses use it."),
                value=lambda row: row["scheme__slug"],
            ),
            Column(
                "scheme_name",
                _("Scheme"),
                _("The grant scheme."),
                translated="scheme__name",
            ),
            Column(
                "trips",
                _("Trips"),
                _("Applications granted; empty for a group too small to publish."),
                "integer",
                nullable=True,
            ),
            Column(
                "amount",
                _("Granted"),
                _("Amount granted; empty for a group too small to publish."),
                "decimal",
                nullable=True,
            ),
            Column(
                "suppressed",
                _("Too few to publish"),
                _("Fewer grants than the threshold: no figures, cities or names are shown."),
                "boolean",
            ),
            Column(
                "partner_cities", _("Partner cities"), _("Partner cities travelled to."), "list"
            ),
            Column(
                "associations",
                _("Associations"),
                _("Associations granted, when they agreed to be named."),
                "list",
            ),
        ),
    )
)

GRANT_SCHEMES = register(
    Dataset(
        slug="grant-schemes",
        period=period_of(GrantScheme.objects.all, "opens_on", "closes_on"),
        title=_("Grant schemes"),
        description=_("The travel grant schemes: who may apply, when, and the most per grant."),
        page="grants:schemes",
        columns=(
            identifier_column(in_api=False),
            Column("name", _("Scheme"), _("The scheme's name."), translated="name"),
            Column(
                "budget_line_code",
                _("Budget line"),
                _("Code of the budget line that pays the grants."),
            ),
            Column(
                "applicant_kinds",
                _("Who may apply"),
                _("Kinds of applicant: words in the CSV, codes in the JSON."),
                "list",
                choices=ApplicantKind,
            ),
            Column(
                "requires_under_25",
                _("Under 25"),
                _("Whether travellers must be under 25 at departure."),
                "boolean",
            ),
            Column(
                "requires_partner_city",
                _("Partner city only"),
                _("Whether the destination must be a partner city."),
                "boolean",
            ),
            Column("opens_on", _("Open from"), _("First day applications are taken."), "date"),
            Column("closes_on", _("Open until"), _("Last day applications are taken."), "date"),
            Column(
                "cap",
                _("Most per application"),
                _("Largest grant, if capped."),
                "decimal",
            ),
            url_column(_("The scheme's application page.")),
        ),
    )
)

from django.utils.translation import gettext_lazy as _

from partnerships.enums import MembershipRole, PartnerCityKind, RelationStatus
from partnerships.models import Charter, Membership, PartnerCity
from portal.countries import country_name
from portal.opendata import (
    Column,
    Dataset,
    identifier_column,
    named,
    named_schema,
    period_of,
    register,
    url_column,
)

PARTNER_CITIES = register(
    Dataset(
        slug="partner-cities",
        period=period_of(PartnerCity.objects.all, "since", years=True),
        title=_("Partner cities"),
        description=_(
            "The cities the municipality cooperates with: twin towns, partnerships and "
            "friendly relations, active and ended."
        ),
        page="partnerships:city_list",
        api="api:partner-city-list",
        # The list page's table (partnerships/city_list.html): it reads only what these read.
        page_columns=(
            "name",
            "country",
            "region",
            "kind",
            "since",
            "consortium",
            "focus_areas",
            "status",
            "url",
        ),
        columns=(
            identifier_column(in_api=True),
            Column("name", _("City"), _("The city's name.")),
            Column(
                "country",
                _("Country"),
                _("The country: its name in the CSV, its ISO 3166 code in the JSON."),
                "code",
                lambda city: city.country.code,
                words=lambda city: country_name(city.country.code),
                reads=("country",),
            ),
            Column("region", _("Region"), _("Region or state, if given.")),
            Column("kind", _("Kind"), _("Kind of relation."), "code", choices=PartnerCityKind),
            Column("since", _("Since"), _("Year the relation began."), "integer", nullable=True),
            Column(
                "consortium",
                _("Through"),
                _("Consortium the relation runs through, if any."),
                value=lambda city: city.consortium.name if city.consortium else None,
                nullable=True,
                reads=("consortium__name",),
            ),
            Column(
                "focus_areas",
                _("Focus areas"),
                _(
                    "What the cooperation is about: in the CSV by name, in the JSON with each "
                    "area's identifier and its name in every language."
                ),
                "list",
                lambda city: [named(area) for area in city.focus_area_list],
                words=lambda city: [str(area) for area in city.focus_area_list],
                json_schema={"type": "array", "items": named_schema()},
                reads=("focus_area_list",),  # prefetched (partnerships.selectors)
            ),
            Column("status", _("Status"), _("Active or ended."), "code", choices=RelationStatus),
            Column(
                "ended_in",
                _("Ended"),
                _("Year the relation ended, if it has."),
                "integer",
                nullable=True,
            ),
            Column(
                "description",
                _("Description"),
                _("What the relation is and does."),
                translated="description",
            ),
            Column("website_url", _("Web site"), _("The city's web site, or empty.")),
            url_column(_("The city's page on this portal."), reads=("slug",)),
        ),
    )
)

NETWORKS = register(
    Dataset(
        slug="networks",
        period=period_of(Membership.objects.all, "since", years=True),
        title=_("City networks"),
        description=_(
            "International city networks, how many member cities they have and the "
            "municipality's own membership: role and annual fee."
        ),
        page="partnerships:network_list",
        api="api:network-list",
        columns=(
            identifier_column(in_api=True),
            Column("name", _("Network"), _("The network's name.")),
            Column("member_count", _("Member cities"), _("Member cities listed."), "integer"),
            Column(
                "total_population",
                _("Population"),
                _("Population of the listed member cities together."),
                "integer",
                nullable=True,
            ),
            Column(
                "role",
                _("Our role"),
                _("The municipality's role; empty when it is not a member."),
                "code",
                lambda network: network.membership.role if _member(network) else None,
                choices=MembershipRole,
                nullable=True,
            ),
            Column(
                "membership_status",
                _("Membership status"),
                _("Whether the membership is active or ended."),
                "code",
                lambda network: network.membership.status if _member(network) else None,
                choices=RelationStatus,
                nullable=True,
            ),
            Column(
                "annual_fee",
                _("Annual fee"),
                _("What the municipality pays a year."),
                "decimal",
                lambda network: network.membership.annual_fee if _member(network) else None,
                nullable=True,
            ),
            Column(
                "description",
                _("Description"),
                _("What the network is and does."),
                translated="description",
            ),
            Column("website_url", _("Web site"), _("The network's web site, or empty.")),
            url_column(_("The network's page on this portal.")),
        ),
    )
)

CHARTERS = register(
    Dataset(
        slug="charters",
        period=period_of(Charter.objects.all, "signed_on"),
        title=_("Charters and commitments"),
        description=_("Charters and commitments the municipality has signed, and their decisions."),
        page="partnerships:charter_list",
        columns=(
            identifier_column(in_api=False),
            Column("title", _("Title"), _("The charter's title.")),
            Column(
                "network",
                _("Network"),
                _("Network behind the charter, if any."),
                value=lambda charter: charter.network.name if charter.network else "",
            ),
            Column("case_number", _("Case number"), _("The municipality's case number.")),
            Column("decided_by", _("Decided by"), _("The body that decided to sign.")),
            Column("decision_date", _("Decision date"), _("Date of the decision."), "date"),
            Column("signed_by", _("Signed by"), _("Who signed, in their office.")),
            Column("signed_on", _("Signed on"), _("Date of signature."), "date"),
            url_column(_("The charter's page on this portal.")),
        ),
    )
)


def _member(network) -> bool:
    return getattr(network, "membership", None) is not None

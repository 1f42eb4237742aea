"""The awarded grants as 360Giving data (the 360Giving Data Standard's JSON package), for
GrantNav and whoever reads grants across funders.

The standard's guidance for grants to individuals says: no personal data, an "Individual
Recipient" with an identifier of the funder's own, a location no finer than a district.
The portal publishes no grant one by one: its public figures are the grant statistics,
per scheme and year of decision, released in batches of months so that no change singles
anyone out (grants.selectors.published_figures, portal.statistics.released). This file
publishes exactly those figures: one 360Giving grant per scheme and year the statistics
show figures for, none where they show "fewer than N" (docs/decisions/
grants-as-360giving-data-are-the-published-statistics.md says why).
"""

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grants.selectors import published_figures
from portal.catalogue import country
from portal.money import currency
from portal.opendata import absolute_url

SCHEMA_VERSION = "1.4"
STANDARD = "https://standard.threesixtygiving.org/en/latest/"
# The standard's generic name for a recipient who must not be named (its guidance).
INDIVIDUAL_RECIPIENT = "Individual Recipient"
# The standard's codelist "Grant to Individuals Purpose": travel and transport.
TRAVEL_PURPOSE = "GTIP100"


def has_grants() -> bool:
    """Whether the package has a grant to give: a scheme's year with published figures."""
    return any(not row["suppressed"] for row in published_figures())


def prefix(municipality: str) -> str:
    """The publisher prefix every identifier starts with: OPEN_DATA_360GIVING_PREFIX, else
    360G- and the municipality's name as a slug."""
    return settings.OPEN_DATA_360GIVING_PREFIX or f"360G-{slugify(municipality)}"


def funder_identifier(municipality: str) -> str:
    """The municipality as an organisation identifier: OPEN_DATA_ORG_ID (DK-CVR-...), else
    one of the publisher's own."""
    return settings.OPEN_DATA_ORG_ID or f"{prefix(municipality)}-municipality"


def _number(amount: Decimal) -> int | float:
    """An amount as a JSON number, as the standard types it (two decimals at most, which a
    float's shortest form keeps exactly)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def grants(*, municipality: str, file_url: str) -> list[dict]:
    """The published grant figures as 360Giving grants, in the active language: one per
    scheme and year of decision with figures (none for a group too small to publish)."""
    own = prefix(municipality)
    funder = {"id": funder_identifier(municipality), "name": municipality}
    location = {"name": municipality}
    if code := country():
        from django_countries import countries

        location["countryCode"] = countries.alpha2(code)
    result = []
    for row in published_figures():
        if row["suppressed"]:
            continue
        year, slug, scheme = row["year"], row["scheme__slug"], str(row["scheme_name"])
        until = _last_day(*row["released_until"])
        facts = {
            "count": row["trips"],
            "scheme": scheme,
            "year": year,
            "until": date_format(until, "DATE_FORMAT"),
            "minimum": settings.STATISTICS_MIN_GROUP,
        }
        result.append(
            {
                "id": f"{own}-{slug}-{year}",
                "title": _("%(scheme)s: granted in %(year)s") % facts,
                "description": _(
                    "Travel grants decided under the scheme “%(scheme)s” in %(year)s up to "
                    "%(until)s, added up as the grant statistics publish them (months in "
                    "batches of at least %(minimum)s grants, no applicant named). Grants: "
                    "%(count)s."
                )
                % facts,
                "currency": currency(),
                "amountAwarded": _number(row["amount"]),
                # The last day of the last month the figure counts: no decision is later.
                "awardDate": until.isoformat(),
                "recipientIndividual": {
                    "id": f"{own}-IND-{slug}-{year}",
                    "name": INDIVIDUAL_RECIPIENT,
                },
                "toIndividualsDetails": {"grantPurpose": [TRAVEL_PURPOSE]},
                "fundingOrganization": [funder],
                "grantProgramme": [
                    {
                        "code": slug,
                        "title": scheme,
                        "url": absolute_url(reverse("grants:apply", args=[slug])),
                    }
                ],
                "beneficiaryLocation": [location],
                "fromOpenCall": "Yes",
                "url": absolute_url(reverse("grants:statistics_year", args=[year])),
                "dataSource": file_url,
            }
        )
    return result


def package(*, municipality: str, website: str, file_url: str) -> dict | None:
    """The 360Giving data package of the awarded grants, or None when no figure is published
    yet (the standard wants at least one grant in a package)."""
    awarded = grants(municipality=municipality, file_url=file_url)
    if not awarded:
        return None
    return {
        "version": SCHEMA_VERSION,
        "title": _("Travel grants granted by %(municipality)s") % {"municipality": municipality},
        "description": _(
            "What each grant scheme granted per year of decision, as the grant statistics "
            "publish it: one grant record per scheme and year, to individuals and "
            "associations not named. Groups of fewer grants than the threshold are left out."
        ),
        "license": settings.OPEN_DATA_LICENSE_URL,
        "publisher": {
            "identifier": funder_identifier(municipality),
            "name": municipality,
            "website": website,
        },
        "downloadURL": file_url,
        "grants": awarded,
    }

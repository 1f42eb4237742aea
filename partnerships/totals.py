"""What partnerships keep derived from their rows: each partner city's search vector.

There are no summed tallies here (`TALLIES`); `REMAKE` is what `manage.py recount --fix`
makes again, as after an upgrade or a change of the default language.
"""

from django.db import connection
from django.db.models import Q

from portal import search
from portal.i18n import all_languages

TALLIES = []

# What a search of the partner cities reads: on PostgreSQL from each city's stored, indexed
# vector of these texts (kept on every save), on SQLite from the columns.
PARTNER_CITY_TEXT = ["name", "region", *all_languages("description")]


def index_text(cities: Q | None = None) -> None:
    """Make the search vectors of the partner cities matched (on PostgreSQL; SQLite searches
    the columns). One UPDATE."""
    from partnerships.models import PartnerCity

    if connection.vendor == "postgresql":
        PartnerCity.objects.filter(cities or Q()).update(
            search_document=search.vector(PARTNER_CITY_TEXT)
        )


REMAKE = [index_text]

"""What partnerships keep derived from their rows: each partner city's search text.

There are no summed tallies here (`TALLIES`); `REMAKE` is what `manage.py recount --fix`
makes again, as after an upgrade or a change of the default language.
"""

from django.db import connection
from django.db.models import Q

from portal import search
from portal.choices import label_of
from portal.countries import names_everywhere
from portal.i18n import all_languages

TALLIES = []

# What a search of the partner cities reads, kept on every save: the stored search text
# (portal.search.document) on either database, and on PostgreSQL the vector it ranks by.
PARTNER_CITY_TEXT = ["name", "region", *all_languages("description")]

BATCH = 500


def index_text(cities: Q | None = None) -> None:
    """Make the search texts (and on PostgreSQL the vectors) of the partner cities matched:
    one UPDATE for the vectors, then the texts a batch at a time."""
    from partnerships.enums import PartnerCityKind
    from partnerships.models import PartnerCity

    matched = PartnerCity.objects.filter(cities or Q())
    if connection.vendor == "postgresql":
        matched.update(search_document=search.vector(PARTNER_CITY_TEXT))
    rows = matched.order_by("pk").values("pk", "country", "kind", *PARTNER_CITY_TEXT)
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        texts = search.column_texts(row, PARTNER_CITY_TEXT)
        texts += [(name, None) for name in names_everywhere(row["country"])]
        kind = label_of(PartnerCityKind, row["kind"])
        texts += search.in_every_language(PartnerCity._meta.verbose_name, kind)
        batch.append(PartnerCity(pk=row["pk"], search_text=search.document(texts)))
        if len(batch) == BATCH:
            PartnerCity.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        PartnerCity.objects.bulk_update(batch, ["search_text"])


REMAKE = [index_text]

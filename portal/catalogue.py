"""The DCAT-AP catalogue of the portal's datasets (JSON-LD), for national data portals to
harvest: every dataset with its distributions (the whole download in each format, its data
package), in every offered language, with the EU vocabularies DCAT-AP expects."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.municipalities import default_language, offered_languages
from portal.opendata import FORMATS, Dataset, absolute_url, datasets, whole_download
from portal.xlsxexport import MEDIA_TYPE as XLSX_MEDIA_TYPE

UNDATED = "undated"  # a dataset whose rows carry no dates (`_temporal`)


def _temporal(dataset: Dataset, read: dict) -> dict | str | None:
    """The dataset's period as DCAT gives it; None where it has no rows (`period_of` says);
    UNDATED where its rows carry no dates, or its period says nothing of its rows (the grant
    statistics before a month is released): it then covers the portal's period."""
    if not dataset.period:
        return None
    # Datasets of the same rows share their period: it is read once (`read`, by function).
    if dataset.period not in read:
        read[dataset.period] = dataset.period()
    period = read[dataset.period]
    first, last = period
    if not first:
        return UNDATED if getattr(period, "has_rows", True) else None
    period = {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": {"@value": first.isoformat(), "@type": "xsd:date"},
    }
    if last:
        period["dcat:endDate"] = {"@value": last.isoformat(), "@type": "xsd:date"}
    return period


def _covered(periods) -> dict | None:
    """The period all the datasets' periods cover together (the earliest start, the latest
    end), or None when none has one."""
    known = [period for period in periods if period and period != UNDATED]
    if not known:
        return None
    starts = [period["dcat:startDate"]["@value"] for period in known]
    ends = [period.get("dcat:endDate", period["dcat:startDate"])["@value"] for period in known]
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": {"@value": min(starts), "@type": "xsd:date"},
        "dcat:endDate": {"@value": max(ends), "@type": "xsd:date"},
    }


def _both_languages(text) -> list[dict]:
    values = []
    for language, _name in offered_languages():
        with translation.override(language):
            value = text() if callable(text) else str(text)
            values.append({"@language": language, "@value": value})
    return values


# EU vocabularies (publications.europa.eu authority tables) that DCAT-AP expects as IRIs.
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
# ISO 639-1, as Django names languages, to the EU language table's ISO 639-3 codes.
EU_LANGUAGES = {
    "da": "DAN",
    "en": "ENG",
    "de": "DEU",
    "fr": "FRA",
    "sv": "SWE",
    "nb": "NOR",
    "nl": "NLD",
    "fi": "FIN",
    "pl": "POL",
    "es": "SPA",
    "it": "ITA",
}
EU_FILE_TYPES = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX", "html": "HTML"}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": XLSX_MEDIA_TYPE,
    "html": "text/html",
}
# EU data themes, with the EU table's own English labels.
EU_THEMES = {"GOVE": "Government and public sector", "INTR": "International issues"}


# The bounding box (west, south, east, north) and centroid (longitude, latitude) of the
# countries a portal is likely to be in, for the catalogue's dct:Location (DCAT-AP
# recommends both); a country missing here is named without them.
COUNTRY_GEOMETRY = {
    "DNK": ((8.07, 54.56, 15.20, 57.75), (10.0, 56.0)),
    "DEU": ((5.87, 47.27, 15.04, 55.06), (10.45, 51.16)),
    "SWE": ((11.11, 55.34, 24.17, 69.06), (15.0, 62.0)),
    "NOR": ((4.65, 57.98, 31.08, 71.18), (10.0, 62.0)),
    "FIN": ((20.55, 59.81, 31.59, 70.09), (26.0, 64.0)),
    "AUT": ((9.53, 46.37, 17.16, 49.02), (14.55, 47.52)),
    "NLD": ((3.36, 50.75, 7.23, 53.55), (5.29, 52.13)),
}


def _location() -> dict:
    """The country the data covers, as DCAT-AP's dct:Location: its EU table IRI, with its
    bounding box and centroid as WKT where COUNTRY_GEOMETRY knows them."""
    code = country()
    location = _typed(f"{EU_AUTHORITY}country/{code}", "dct:Location")
    if code in COUNTRY_GEOMETRY:
        (west, south, east, north), (longitude, latitude) = COUNTRY_GEOMETRY[code]
        box = (
            f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"
        )
        location["dcat:bbox"] = {"@value": box, "@type": "gsp:wktLiteral"}
        location["dcat:centroid"] = {
            "@value": f"POINT({longitude} {latitude})",
            "@type": "gsp:wktLiteral",
        }
    return location


def _dates() -> tuple[str, str]:
    """(issued, modified) of the catalogue and its datasets: the first and the latest
    recorded decision (every publication is audited: portal.audit), today where none is."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from portal.models import AuditEntry

    found = AuditEntry.objects.aggregate(first=Min("at"), last=Max("at"))
    today = timezone.localdate()
    first = timezone.localdate(found["first"]) if found["first"] else today
    last = timezone.localdate(found["last"]) if found["last"] else today
    return first.isoformat(), last.isoformat()


def _date(value: str) -> dict:
    return {"@value": value, "@type": "xsd:date"}


# Languages spoken as the first language of many countries: their territory says nothing.
NO_ONE_COUNTRY = {"en", "es", "fr", "pt", "ar"}


def country() -> str:
    """The country the data covers (ISO 3166-1 alpha-3): the active municipality's; outside
    one, the deployment's: OPEN_DATA_COUNTRY, else the country of the default language
    (Babel's likely territory: da -> DNK, de -> DEU, sv -> SWE); "" where neither says (the
    check portal.E010 then stops the portal)."""
    from babel.core import get_global
    from django_countries import countries

    from portal.municipalities import current

    if (found := current()) is not None and found.country:
        return countries.alpha3(found.country) or ""
    if settings.OPEN_DATA_COUNTRY:
        return settings.OPEN_DATA_COUNTRY

    language = default_language().split("-")[0].lower()
    if language in NO_ONE_COUNTRY:
        return ""
    likely = get_global("likely_subtags").get(language, "")
    territory = likely.split("_")[-1] if likely.count("_") == 2 else ""
    return countries.alpha3(territory) if territory else ""


def _typed(iri: str, *types: str) -> dict:
    return {"@id": iri, "@type": list(types) if len(types) > 1 else types[0]}


def _concept(iri: str, english_label: str) -> dict:
    return {
        **_typed(iri, "skos:Concept"),
        "skos:prefLabel": {"@language": "en", "@value": english_label},
    }


def _languages() -> list[dict]:
    return [
        _typed(f"{EU_AUTHORITY}language/{EU_LANGUAGES[code]}", "dct:LinguisticSystem")
        for code, _name in offered_languages()
        if code in EU_LANGUAGES
    ]


def catalog(
    *,
    publisher: str,
    catalog_url: str,
    contact_email: str = "",
    homepage: str = "",
    listed: list[Dataset] | None = None,
    package_url=None,
    title=None,
    description=None,
) -> dict:
    """The datasets as a DCAT-AP 3.0.1 catalogue in JSON-LD, for national data portals to
    harvest: every referenced thing typed as the application profile's ranges require,
    media types and formats, languages, themes and the country as EU vocabulary IRIs.

    By default the active municipality's datasets; the service's own catalogue (the national
    comparison) gives its datasets (`listed`), the site path of each one's data package
    (`package_url(dataset)`), its title and its description."""
    listed = datasets() if listed is None else listed
    if package_url is None:

        def package_url(dataset):
            return reverse("data_package", args=[dataset.slug])

    licence = {
        **_typed(settings.OPEN_DATA_LICENSE_URL, "dct:LicenseDocument"),
        "dct:type": _concept("http://purl.org/adms/licencetype/Attribution", "Attribution"),
    }
    agent = {
        "@id": f"{catalog_url}#publisher",
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": publisher,
        "dct:type": _concept(
            "http://purl.org/adms/publishertype/LocalAuthority", "Local Authority"
        ),
    }
    stable = _concept(f"{EU_AUTHORITY}planned-availability/STABLE", "stable")
    contact = {"@type": ["vcard:Kind", "vcard:Organization"], "vcard:fn": publisher}
    if contact_email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{contact_email}"}
    spatial = _location()
    issued, modified = _dates()
    themes = [
        {
            **_typed(f"{EU_AUTHORITY}data-theme/{code}", "skos:Concept"),
            "skos:prefLabel": {"@language": "en", "@value": label},
        }
        for code, label in EU_THEMES.items()
    ]
    languages = _languages()

    def distribution(title, description, *, access, download="", fmt="json", standard=""):
        entry = {
            "@type": "dcat:Distribution",
            "dct:title": title,
            "dct:description": _both_languages(description),
            "dcat:accessURL": {"@id": access},
            "dcat:mediaType": _typed(
                f"http://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}", "dct:MediaType"
            ),
            "dct:format": _typed(
                f"{EU_AUTHORITY}file-type/{EU_FILE_TYPES[fmt]}", "dct:MediaTypeOrExtent"
            ),
            "dct:license": licence,
            "dct:language": languages,
            "dcatap:availability": stable,
        }
        if download:
            entry["dcat:downloadURL"] = {"@id": download}
        if standard:
            entry["dct:conformsTo"] = _typed(standard, "dct:Standard")
        return entry

    with translation.override(default_language()):
        entries = []
        read = {}
        periods = {dataset.slug: _temporal(dataset, read) for dataset in listed}
        covered = _covered(periods.values())
        for dataset in listed:
            landing = absolute_url(dataset.landing_page)
            # A dataset that comes per year downloads from its index: it leads to the
            # current year and keeps the format on the way.
            downloads_from = whole_download(dataset)
            distributions = (
                []
                if not downloads_from
                else [
                    distribution(
                        fmt.upper(),
                        lambda fmt=fmt: (
                            _("The whole list as %(format)s.") % {"format": fmt.upper()}
                        ),
                        access=landing,
                        download=absolute_url(f"{downloads_from}?format={fmt}"),
                        fmt=fmt,
                    )
                    for fmt in FORMATS
                ]
            )
            if downloads_from:
                distributions.append(
                    distribution(
                        "Data Package",
                        _(
                            "The CSV described for machines: column types, number format, "
                            "licence (Frictionless Data Package)."
                        ),
                        access=landing,
                        download=absolute_url(package_url(dataset)),
                        standard="https://specs.frictionlessdata.io/data-package/",
                    )
                )
            if not distributions:  # one page (and its downloads) per person or year
                distributions.append(
                    distribution(
                        str(_("Pages")),
                        _("One page per entry, each with its own CSV, XLSX and JSON."),
                        access=landing,
                        fmt="html",
                    )
                )
            if dataset.api:
                distributions.append(
                    distribution(
                        "API",
                        _("The same data page by page, for programs (OpenAPI 3.1)."),
                        access=absolute_url(reverse(dataset.api)),
                        standard=absolute_url(reverse("api:schema")),
                    )
                )
            for standard_file in dataset.standard_files:
                if standard_file.is_available():
                    distributions.append(
                        distribution(
                            standard_file.title,
                            standard_file.description,
                            access=landing,
                            download=absolute_url(standard_file.url),
                            standard=standard_file.standard,
                        )
                    )
            entry = {}
            # A list whose rows carry no dates (partner cities without a year) covers the
            # period of the portal's data.
            temporal = periods[dataset.slug]
            if temporal == UNDATED:
                temporal = covered
            if temporal:
                entry["dct:temporal"] = temporal
            entries.append(
                {
                    **entry,
                    "@type": "dcat:Dataset",
                    "@id": f"{catalog_url}#{dataset.slug}",
                    "dct:identifier": dataset.slug,
                    "dct:issued": _date(issued),
                    "dct:modified": _date(modified),
                    "dct:title": _both_languages(dataset.title),
                    "dct:description": _both_languages(dataset.description),
                    "dcat:keyword": _both_languages(dataset.title),
                    "dct:publisher": agent,
                    "dcat:contactPoint": contact,
                    "dct:license": licence,
                    "dct:language": languages,
                    "dct:spatial": spatial,
                    "dcat:theme": themes,
                    "dcat:landingPage": _typed(landing, "foaf:Document"),
                    "dcat:distribution": distributions,
                }
            )
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "dcatap": "http://data.europa.eu/r5r/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "gsp": "http://www.opengis.net/ont/geosparql#",
        },
        "@type": "dcat:Catalog",
        "@id": catalog_url,
        "dct:issued": _date(issued),
        "dct:modified": _date(modified),
        "dct:title": _both_languages(title or _("Open data")),
        "dct:description": _both_languages(
            description
            or _(
                "The open data of the municipality's international work: partner cities, "
                "networks, budgets, grants and trips abroad."
            )
        ),
        "dct:publisher": agent,
        "dct:license": licence,
        "dct:language": languages,
        "dct:spatial": spatial,
        "dcat:themeTaxonomy": {
            **_typed(f"{EU_AUTHORITY}data-theme", "skos:ConceptScheme"),
            "dct:title": {"@language": "en", "@value": "Data theme"},
        },
        "dcat:dataset": entries,
    }
    if homepage:
        document["foaf:homepage"] = _typed(homepage, "foaf:Document")
    return document

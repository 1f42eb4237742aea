"""The sitemap's machinery: every public page in every language, in pages of
`PublicSitemap.limit`; the apps contribute their sections (portal.contributions), the
shell gathers them (shell.sitemaps).
Its addresses start with PORTAL_BASE_URL, never with the request's Host header, so that a
cache in front of the portal cannot be given a sitemap that points elsewhere."""

from collections.abc import Sequence
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, _get_latest_lastmod, x_robots_tag
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.http import http_date

from portal.base_url import base_url
from portal.municipalities import default_language, offered_codes
from portal.opendata import absolute_url


class InEveryLanguage(Sequence):
    """The (item, language) pairs of a queryset, read a page at a time: Django's i18n
    sitemap makes them as a list of every item, which at national scale reads every trip
    for each sitemap page."""

    def __init__(self, items, languages: list[str], count=None):
        # Not `self.count`: Django's Paginator would take it for the length.
        self.items, self.languages, self.known_count = items, languages, count

    def __len__(self) -> int:
        return self._count * len(self.languages)

    @cached_property
    def _count(self) -> int:
        if self.known_count is not None:
            return self.known_count()
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        per_item = len(self.languages)
        first, last = start // per_item, -(-stop // per_item)
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        return pairs[start - first * per_item : stop - first * per_item]


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Addresses per sitemap page (a page in one language is one, with its alternates): the
    # index (/sitemap.xml) lists the pages, so a page costs the same however many trips
    # there are.
    limit = 1000

    # How many items there are, where that is known without counting them (kept totals).
    count = None

    def _languages(self):
        """The active municipality's languages (Django's sitemaps read LANGUAGES, the
        deployment's, which would list pages another municipality does not have)."""
        return self.languages if self.languages is not None else offered_codes()

    def _items(self):
        return InEveryLanguage(self.items(), self._languages(), self.count)

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(base_url()).scheme

    def get_domain(self, site=None) -> str:
        base = urlsplit(base_url())
        return base.netloc + base.path

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's addresses of a sitemap page (each with its alternates and x-default),
        each item's address made once per language with that language active once for the
        page: Django activates a language for each address, four times per item here."""
        start = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        pairs = self.paginator.page(page).object_list
        objects = list({id(obj): obj for obj, _code in pairs}.values())
        languages = self._languages()
        address = {}
        for code in languages:
            with translation.override(code):
                for obj in objects:
                    address[id(obj), code] = start + self.location(obj)
        default = default_language()
        urls, lastmods = [], []
        for obj, code in pairs:
            lastmod = self._get("lastmod", (obj, code))
            lastmods.append(lastmod)
            priority = self._get("priority", (obj, code))
            alternates = [
                {"location": address[id(obj), other], "lang_code": other}
                for other in (languages if self.alternates else [])
            ]
            if self.alternates and self.x_default and default in languages:
                x_default = address[id(obj), default].replace(f"/{default}/", "/", 1)
                alternates.append({"location": x_default, "lang_code": "x-default"})
            urls.append(
                {
                    "item": (obj, code),
                    "location": address[id(obj), code],
                    "lastmod": lastmod,
                    "changefreq": self._get("changefreq", (obj, code)),
                    "priority": str(priority if priority is not None else ""),
                    "alternates": alternates,
                }
            )
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


class ObjectSitemap(PublicSitemap):
    """A section of records: `records` makes their queryset when the section is read, in the
    municipality of the request (portal.scoping), never once at import."""

    def __init__(self, records):
        self.records = records

    def items(self):
        return self.records()


@x_robots_tag
def sitemap_index(request, sitemaps, sitemap_url_name: str):
    """The index of the sitemap's pages, as Django's (`sitemaps.views.index`), but with
    addresses from PORTAL_BASE_URL where Django's take the request's host."""
    items, latest, all_known = [], None, True
    for section, sitemap in sitemaps.items():
        address = absolute_url(reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is None:
            all_known = False
        elif all_known:
            latest = _get_latest_lastmod(latest, lastmod)
        items.append(SitemapIndexItem(address, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{address}?p={page}", lastmod))
    # With every section's lastmod known, ConditionalGetMiddleware can answer 304.
    headers = {"Last-Modified": http_date(latest.timestamp())} if all_known and latest else None
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers=headers,
    )

"""The sitemap: every public page in every language, in pages of `PublicSitemap.limit`."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from budgets.selectors import public_years
from partnerships.models import Charter, CityNetwork, PartnerCity
from travel.selectors import published


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Addresses per sitemap page (a page in one language is one, with its alternates): the
    # index (/sitemap.xml) lists the pages, so a page costs the same however many trips
    # there are.
    limit = 3000


class PagesSitemap(PublicSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "partnerships:city_list",
            "partnerships:network_list",
            "partnerships:charter_list",
            "travel:list",
            "grants:schemes",
            "grants:statistics",
            "data",
            "api_docs",
        ]

    def location(self, item):
        return reverse(item)


class ObjectSitemap(PublicSitemap):
    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset.all()


class TripSitemap(PublicSitemap):
    def items(self):
        return published().only("slug", "published_at", "report_published_at").order_by("pk")

    def lastmod(self, trip):
        return trip.report_published_at or trip.published_at


SITEMAPS = {
    "pages": PagesSitemap(),
    "partner-cities": ObjectSitemap(PartnerCity.objects.only("slug").order_by("pk")),
    "networks": ObjectSitemap(CityNetwork.objects.only("slug").order_by("pk")),
    "charters": ObjectSitemap(Charter.objects.only("slug").order_by("pk")),
    "budget": ObjectSitemap(public_years()),
    "trips": TripSitemap(),
}

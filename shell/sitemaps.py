"""The sitemap: the site's own pages, and each app's section (portal.contributions)."""

from django.urls import reverse

from portal.contributions import contributions
from portal.sitemaps import PublicSitemap, sitemap_index  # noqa: F401 (the URLconf's view)


class PagesSitemap(PublicSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "partnerships:city_list",
            "partnerships:network_list",
            "partnerships:charter_list",
            "travel:list",
            "travel:people",
            "travel:overdue",
            "grants:schemes",
            "grants:statistics",
            "data",
            "api_docs",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PagesSitemap(), **dict(contributions("sitemap"))}

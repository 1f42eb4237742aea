"""What travel contributes to other apps' pages (portal.contributions)."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.contributions import Count, SearchSection, contribute
from portal.models import SiteSettings
from portal.sitemaps import ObjectSitemap, PublicSitemap
from travel import demo, permissions
from travel.models import FEED_ORDER
from travel.selectors import (
    overdue_trips_count,
    people_who_travelled,
    public_trips,
    published,
    published_count,
    search_travellers,
    search_trips,
)

contribute("search", order=20)(
    SearchSection(_("Trips abroad"), search_trips, ("purpose", "destination_city"))
)
contribute("search", order=30)(SearchSection(_("People who travelled"), search_travellers))
contribute("demo", order=30)(demo.load)
contribute("demo_sections", order=30)(demo.SECTIONS)

# How many of a partner city's trips its page lists (with a link to all of them).
TRIPS_ON_CITY_PAGE = 10


@contribute("partner_city")
def trips_on_city_page(city) -> dict:
    return {"trips": list(public_trips().filter(partner_city=city)[:TRIPS_ON_CITY_PAGE])}


class TripSitemap(PublicSitemap):
    def count(self) -> int:
        return published_count()

    def items(self):
        return (
            published()
            .only("slug", "published_at", "report_published_at", "corrected_at")
            .order_by("pk")
        )

    def lastmod(self, trip):
        # FEED_ORDER, per trip: the latest of its publications and corrections.
        return max(
            moment
            for moment in (trip.published_at, trip.report_published_at, trip.corrected_at)
            if moment is not None
        )

    def get_latest_lastmod(self):
        """For the index: the latest `lastmod`, asked of the database (Django's default
        calls lastmod on every trip); the feed's order is the same expression, and its
        index answers this without reading every trip."""
        return published().aggregate(latest=Max(FEED_ORDER))["latest"]


contribute("sitemap", order=60)(("trips", TripSitemap()))
contribute("sitemap", order=61)(
    ("people", ObjectSitemap(lambda: people_who_travelled().only("slug", "name")))
)


@contribute("workload", order=20)
def trips_overdue(user, today) -> list[Count]:
    if not permissions.can_manage_trips(user):
        return []
    days = SiteSettings.current().trip_publication_days
    return [
        Count(
            "trips",
            _("Trips overdue for publication"),
            overdue_trips_count(today, days),
            reverse("travel:overdue"),
        )
    ]

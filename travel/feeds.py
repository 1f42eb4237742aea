from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.base_url import base_url
from portal.models import SiteSettings
from portal.opendata import absolute_url
from travel.models import FEED_ORDER
from travel.selectors import published


class PublishedTripsFeed(Feed):
    """Newly published trips, and reports when the committee approved them."""

    feed_type = Atom1Feed
    # The purpose, and what each correction changed, old and new (travel.corrections).
    description_template = "travel/feed_entry.html"

    def get_object(self, request, *args, **kwargs):
        """The site's settings, read once for the feed's title and author."""
        return SiteSettings.current()

    def title(self, site):
        return _("Trips abroad – %(municipality)s") % {"municipality": site.municipality_name}

    # Every address absolute from PORTAL_BASE_URL: Django would complete a relative one
    # with the request's Host header, which a cache in front may not key on.
    def link(self):
        return absolute_url(reverse("travel:list"))

    def feed_url(self):
        return absolute_url(reverse("travel:feed"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def author_name(self, site):
        # RFC 4287: an author for the feed, since its entries name none of their own.
        return site.municipality_name

    def author_link(self):
        return base_url() + "/"

    def subtitle(self):
        return _("Programmes, accounts and approved reports of trips abroad.")

    def items(self):
        # The same expression as the index trip_feed_order: the newest 50 are read from it.
        # A correction moves its trip's entry up, with the same id: an updated entry.
        return (
            published()
            .annotate(updated=FEED_ORDER)
            .order_by("-updated")
            .prefetch_related("corrections")[:50]
        )

    def item_title(self, item):
        if item.report_is_public:
            return _("Report: %(title)s") % {"title": item.title}
        return item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated

    def item_guid(self, item):
        # An absolute IRI (RFC 4287 atom:id). Publishing the report makes a new entry.
        return f"{base_url()}{item.get_absolute_url()}#{item.state}"

    def item_guid_is_permalink(self, item):
        return False

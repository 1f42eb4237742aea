"""What partnerships contribute to the pages that gather the apps (portal.contributions)."""

from django.utils.translation import gettext_lazy as _

from partnerships import demo, permissions
from partnerships.filters import REGISTERED_BY_ME
from partnerships.models import Charter, CityNetwork, Exchange, PartnerCity
from partnerships.selectors import search_charters, search_networks, search_partner_cities
from portal.contributions import Count, SearchSection, address, contribute
from portal.sitemaps import ObjectSitemap

contribute("search", order=10)(
    SearchSection(_("Partner cities"), search_partner_cities, ("description", "region"))
)
contribute("search", order=40)(SearchSection(_("City networks"), search_networks, ("description",)))
contribute("search", order=50)(
    SearchSection(_("Charters and commitments"), search_charters, ("summary",))
)
contribute("sitemap", order=10)(
    ("partner-cities", ObjectSitemap(lambda: PartnerCity.objects.only("slug").order_by("pk")))
)
contribute("sitemap", order=20)(
    ("networks", ObjectSitemap(lambda: CityNetwork.objects.only("slug").order_by("pk")))
)
contribute("sitemap", order=30)(
    ("charters", ObjectSitemap(lambda: Charter.objects.only("slug").order_by("pk")))
)
contribute("demo", order=10)(demo.load)
contribute("demo_sections", order=10)(demo.SECTIONS)


@contribute("workload", order=30)
def exchanges_registered(user, today) -> list[Count]:
    """What the coordinator registered this calendar year (when they registered it, not when
    the exchange takes place), linked to the same exchanges on their list."""
    if not permissions.can_register_exchanges(user):
        return []
    return [
        Count(
            "exchanges",
            _("Exchanges I registered this year"),
            Exchange.objects.filter(registered_by=user, created_at__year=today.year).count(),
            address(
                "partnerships:exchange_list", registered=REGISTERED_BY_ME, registered_in=today.year
            ),
        )
    ]

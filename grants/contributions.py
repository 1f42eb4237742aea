"""What grants contribute to other apps' pages (portal.contributions)."""

from grants.models import GrantScheme
from grants.selectors import grants_to_city, published_figures
from portal.contributions import contribute

contribute("published_grant_figures")(published_figures)


@contribute("pays_grants")
def pays_grants(line) -> bool:
    """Whether a grant scheme pays from the line's code."""
    return GrantScheme.objects.filter(budget_line_code=line.code).exists()


@contribute("partner_city")
def grants_on_city_page(city) -> dict:
    return {"grants": grants_to_city(city)}

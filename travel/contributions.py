"""What travel contributes to other apps' pages (portal.contributions)."""

from portal.contributions import contribute
from travel.selectors import public_trips

# How many of a partner city's trips its page lists (with a link to all of them).
TRIPS_ON_CITY_PAGE = 10


@contribute("partner_city")
def trips_on_city_page(city) -> dict:
    return {"trips": list(public_trips().filter(partner_city=city)[:TRIPS_ON_CITY_PAGE])}

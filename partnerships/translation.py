"""Texts staff write about partnerships, stored in every shipped language (portal.i18n)."""

from partnerships.models import (
    Charter,
    CityNetwork,
    Consortium,
    FocusArea,
    PartnerCity,
    WorkingGroup,
)
from portal.i18n import register_translated

register_translated(FocusArea, "name", required=("name",))
register_translated(Consortium, "description")
register_translated(PartnerCity, "description")
register_translated(CityNetwork, "description")
register_translated(WorkingGroup, "name", required=("name",))
register_translated(Charter, "summary", "economic_consequence", "follow_up")

"""Load partnership demo data from a municipality's demo file (see shell/demo/).

Every record is matched on a natural key and updated in place, so loading the
same file twice changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from partnerships.models import (
    Charter,
    CityNetwork,
    Consortium,
    Exchange,
    FocusArea,
    Membership,
    NetworkMemberCity,
    PartnerCity,
    School,
    WorkingGroup,
)
from portal.demo_file import Reference, Section
from portal.dicts import without
from portal.i18n import localized
from portal.municipalities import default_language

PARTICIPANTS = ("pupils", "teachers", "staff", "others")
SPREAD = ("years", "first_year", "month", "days")


def _spread_or_dates(row: dict) -> list[tuple[str, str]]:
    """An exchange has its own dates, or a spread of a total over several years."""
    spread = row.get("spread")
    if spread is None:
        return [(key, "missing") for key in ("starts_on", "ends_on") if not row.get(key)]
    if not isinstance(spread, dict):
        return [("spread", "an object is expected")]
    found = [
        (f"spread.{key}", "a whole number above 0 is expected")
        for key in SPREAD
        if not (isinstance(spread.get(key), int) and spread[key] > 0)
    ]
    return found + [
        (f"spread.{key}", "a whole number is expected")
        for key in PARTICIPANTS
        if key in spread and not (isinstance(spread[key], int) and spread[key] >= 0)
    ]


CITY = Reference("partner_city", "partner_cities", "slug", PartnerCity)
NETWORK = Reference("network", "networks", "slug", CityNetwork)
# The parts of a demo file this app loads (portal.demo_file).
SECTIONS = [
    Section("focus_areas", FocusArea, required=("slug",)),
    Section("consortia", Consortium, required=("name",)),
    Section(
        "partner_cities",
        PartnerCity,
        required=("slug", "name"),
        references=(
            Reference("focus_areas", "focus_areas", "slug", FocusArea),
            Reference("consortium", "consortia", "name", Consortium),
        ),
    ),
    Section(
        "networks",
        CityNetwork,
        required=("slug", "name"),
        nested=(
            Section("members", NetworkMemberCity, required=("name",)),
            Section(
                "membership",
                Membership,
                single=True,
                nested=(Section("working_groups", WorkingGroup),),
            ),
        ),
    ),
    Section("charters", Charter, required=("slug",), references=(NETWORK,)),
    Section("schools", School, required=("name",)),
    Section(
        "exchanges",
        Exchange,
        required=("title", "partner_city", "school"),
        handled=("school", "registered_by", "spread"),
        made=("starts_on", "ends_on"),  # from its spread, or missing (_spread_or_dates)
        references=(CITY,),
        check=_spread_or_dates,
    ),
]


def load(data: dict) -> None:
    for row in data.get("focus_areas", []):
        FocusArea.objects.update_or_create(slug=row["slug"], defaults=without(row, "slug"))
    for row in data.get("consortia", []):
        Consortium.objects.update_or_create(name=row["name"], defaults=without(row, "name"))
    for row in data.get("partner_cities", []):
        _load_partner_city(row)
    for row in data.get("networks", []):
        _load_network(row)
    for row in data.get("charters", []):
        defaults = without(row, "slug", "network")
        defaults["network"] = (
            CityNetwork.objects.get(slug=row["network"]) if row.get("network") else None
        )
        Charter.objects.update_or_create(slug=row["slug"], defaults=defaults)
    for row in data.get("schools", []):
        School.objects.update_or_create(name=row["name"], defaults=without(row, "name"))
    for row in data.get("exchanges", []):
        _load_exchange(row)


def _load_partner_city(row: dict) -> None:
    defaults = without(row, "slug", "focus_areas", "consortium")
    defaults["consortium"] = (
        Consortium.objects.get(name=row["consortium"]) if row.get("consortium") else None
    )
    city, _ = PartnerCity.objects.update_or_create(slug=row["slug"], defaults=defaults)
    city.focus_areas.set(FocusArea.objects.filter(slug__in=row.get("focus_areas", [])))


def _load_network(row: dict) -> None:
    network, _ = CityNetwork.objects.update_or_create(
        slug=row["slug"], defaults=without(row, "slug", "members", "membership")
    )
    for member in row.get("members", []):
        NetworkMemberCity.objects.update_or_create(
            network=network, name=member["name"], defaults=without(member, "name")
        )
    if membership_row := row.get("membership"):
        membership, _ = Membership.objects.update_or_create(
            network=network, defaults=without(membership_row, "working_groups")
        )
        for group in membership_row.get("working_groups", []):
            # Its name in the default language: `name_da` or, as a text without a language
            # is the default language's, `name` (portal.demo_file checked one is there).
            key = localized("name", default_language())
            WorkingGroup.objects.update_or_create(
                membership=membership, **{key: group.get(key) or group["name"]}, defaults=group
            )


def _load_exchange(row: dict) -> None:
    common = without(
        row, "spread", "partner_city", "starts_on", "ends_on", "title", "school", "registered_by"
    )
    common["partner_city"] = PartnerCity.objects.get(slug=row["partner_city"])
    common["school"], _ = School.objects.get_or_create(name=row["school"])
    # The demo coordinator's login who registered it (`load_demo --logins`); without the
    # logins, nobody.
    common["registered_by"] = (
        get_user_model().objects.filter(username=row["registered_by"]).first()
        if row.get("registered_by")
        else None
    )
    if spread := row.get("spread"):
        # A total the source gives over several years, spread evenly over them.
        years = spread["years"]
        totals = {name: spread.get(name, 0) for name in PARTICIPANTS}
        for index in range(years):
            starts_on = datetime.date(spread["first_year"] + index, spread["month"], 1)
            counts = {
                name: total // years + (1 if index < total % years else 0)
                for name, total in totals.items()
            }
            Exchange.objects.update_or_create(
                title=row["title"],
                starts_on=starts_on,
                defaults={
                    **common,
                    **counts,
                    "ends_on": starts_on + datetime.timedelta(days=spread["days"] - 1),
                },
            )
        return
    Exchange.objects.update_or_create(
        title=row["title"],
        starts_on=datetime.date.fromisoformat(row["starts_on"]),
        defaults={**common, "ends_on": datetime.date.fromisoformat(row["ends_on"])},
    )

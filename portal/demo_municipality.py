"""The `municipality` part of a demo file: the municipality the rest of the file is for.

It is found (or made, unsaved) before the rest of the file is read, so that the rest is
checked in its languages and loaded inside it (portal.scoping):

    "municipality": {
      "name": "Ballerup", "slug": "ballerup", "languages": "da,en,de",
      "default_language": "da", "currency": "DKK", "country": "DK",
      "region": "Region Hovedstaden", "hosts": ["ballerup.localhost"],
      "population": [{"year": 2025, "inhabitants": 52400}],
      "logins": [{"username": "koordinator", "first_name": "Sofie",
                  "role": "School coordinator"}]
    }

Which municipality a file is loaded into:

- the one with the file's slug, updated with the file's fields;
- else the first municipality (the one a migration made), while nobody has set it up: it
  has no host name and holds no data (the kinds of budget line and the follow-up rounds a
  migration makes do not count). So Ballerup's file loaded into a fresh database makes the
  first municipality Ballerup;
- else a new municipality.

A file without the part is loaded into the only municipality there is; where there are
several, it must name one. Host names and population figures are added or updated, never
removed. Demo logins (`logins`) are staff of this municipality only: a username that is
already another municipality's login is a problem (usernames are global).
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from portal.demo_file import Section, content_models
from portal.models import Municipality, MunicipalityHost, Population
from portal.roles import Role
from portal.scoping import municipality as active

FIELDS = (
    "name",
    "slug",
    "languages",
    "default_language",
    "currency",
    "country",
    "region",
    "open_data_contact",
    "publishes_nationally",
)
HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def _check_municipality(row: dict) -> list[tuple[str, str]]:
    problems = []
    hosts = row.get("hosts", [])
    if not isinstance(hosts, list) or not all(
        isinstance(host, str) and len(host) <= 253 and HOST.fullmatch(host.lower())
        for host in hosts
    ):
        problems.append(("hosts", "a list of host names is expected (without scheme or port)"))
    values = {field: row[field] for field in FIELDS if isinstance(row.get(field), str)}
    if {"languages", "default_language", "currency"} <= set(values):  # else: missing
        try:
            Municipality(**values).clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.extend((field, str(message)) for message in messages)
    return problems


def _check_population(row: dict) -> list[tuple[str, str]]:
    inhabitants = row.get("inhabitants")
    if isinstance(inhabitants, int) and inhabitants <= 0:
        return [("inhabitants", "a whole number above 0 is expected")]
    return []


def _check_login(row: dict) -> list[tuple[str, str]]:
    roles = [role.value for role in Role]
    if row.get("role") not in roles:
        return [("role", f"{row.get('role')!r} is none of: {', '.join(roles)}")]
    return []


SECTION = Section(
    "municipality",
    Municipality,
    single=True,
    required=("name", "slug", "languages", "default_language", "currency"),
    nested=(
        Section(
            "population",
            Population,
            required=("year", "inhabitants"),
            check=_check_population,
        ),
        Section(
            "logins",
            get_user_model(),
            required=("username", "role"),
            handled=("role",),
            check=_check_login,
        ),
    ),
    handled=("hosts",),
    check=_check_municipality,
)


def _unused(record: Municipality, sections: list[Section]) -> bool:
    """Nobody has set the municipality up: no host name, no data."""
    if record.hosts.exists():
        return False
    with active(record):
        return not any(model.objects.exists() for model in content_models(sections))


def find(data, sections: list[Section]) -> tuple[Municipality | None, list[str]]:
    """The municipality the file is for, with the file's fields set (not saved; unsaved when
    it is new), and the problems only the database shows (a host name or a login that is
    another municipality's). None when the file names none and there are several."""
    part = data.get("municipality") if isinstance(data, dict) else None
    if not isinstance(part, dict):
        known = list(Municipality.objects.order_by("pk")[:2])
        if len(known) == 1:
            return known[0], []
        if part is None:
            return None, [
                "municipality: missing (the database holds several municipalities: "
                "name the one the file is for)"
            ]
        return (known[0] if known else Municipality()), []  # the reader says what is wrong
    slug = part.get("slug")
    record = Municipality.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    if record is None:
        first = Municipality.objects.order_by("pk").first()
        record = first if first is not None and _unused(first, sections) else Municipality()
    for field in FIELDS:
        value = part.get(field)
        if isinstance(value, bool if field == "publishes_nationally" else str):
            setattr(record, field, value)
    return record, _taken(record, part)


def _taken(record: Municipality, part: dict) -> list[str]:
    problems = []
    hosts = part.get("hosts")
    if isinstance(hosts, list):
        names = [host.lower() for host in hosts if isinstance(host, str)]
        others = MunicipalityHost.objects.filter(host__in=names).select_related("municipality")
        for host in others.exclude(municipality_id=record.pk) if record.pk else others:
            problems.append(
                f"municipality.hosts: {host.host!r} is already {host.municipality.name}'s"
            )
    logins = part.get("logins")
    if isinstance(logins, list):
        names = [login.get("username") for login in logins if isinstance(login, dict)]
        others = get_user_model().objects.filter(
            Q(username__in=names) & Q(municipalities__isnull=False)
        )
        if record.pk:
            others = others.exclude(municipalities=record)
        for index, login in enumerate(logins):
            if isinstance(login, dict) and login.get("username") in {
                user.username for user in others
            }:
                problems.append(
                    f"municipality.logins[{index}].username: {login['username']!r} is "
                    "another municipality's login (usernames are shared by all of them)"
                )
    return problems


def save(record: Municipality, data: dict) -> None:
    """Write the municipality, its host names and its population figures (inside the
    loading's transaction)."""
    part = data.get("municipality")
    if not isinstance(part, dict):
        return
    record.full_clean(exclude=["staff"])
    record.save()
    for host in part.get("hosts", []):
        MunicipalityHost.objects.get_or_create(
            host=host.strip().lower().rstrip("."), defaults={"municipality": record}
        )
    for row in part.get("population", []):
        Population.objects.update_or_create(
            municipality=record, year=row["year"], defaults={"inhabitants": row["inhabitants"]}
        )


def logins(data: dict) -> list[dict]:
    """The demo logins the file names: username, first_name, last_name, role, is_staff."""
    part = data.get("municipality")
    return list(part.get("logins", [])) if isinstance(part, dict) else []

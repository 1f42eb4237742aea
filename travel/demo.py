"""Load demo trips (idempotent). Costs are booked through the same service as on the staff
pages; publication dates come from the file so the demo shows realistic delays."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from budgets.models import BudgetLine, Committee
from partnerships.models import CityNetwork, PartnerCity
from portal.demo_file import Reference, Section
from portal.i18n import localized
from portal.municipalities import default_language
from travel import totals
from travel.models import AccountLine, Correction, ProgrammeItem, Trip, TripTraveller
from travel.services import person_named, sync_trip_commitments

FIELDS = [
    "title",
    "purpose",
    "destination_city",
    "destination_country",
    "unit",
    "accounts_status",
    "other_participants",
    "report",
]


TRANSLATED = ("title", "purpose", "report")
LANGUAGES = settings.MODELTRANSLATION_LANGUAGES


def _shapes(row: dict) -> list[tuple[str, str]]:
    """The lists a trip's row gives as rows of values: each of its length."""
    found = []
    line = row.get("budget_line")
    if not (isinstance(line, list) and len(line) == 2):
        found.append(("budget_line", "[year, code] is expected"))
    for key, shape, lengths in SHAPES:
        value = row.get(key, [])
        if not isinstance(value, list):
            found.append((key, "a list is expected"))
            continue
        for index, item in enumerate(value):
            if not (isinstance(item, list) and len(item) in lengths):
                found.append((f"{key}[{index}]", f"{shape} is expected"))
    approval = row.get("approval") or {}
    for key in ("approved_on", "approved_by", "published_at"):
        if approval and not approval.get(key):
            found.append((f"approval.{key}", "missing"))
    return found


SHAPES = (
    ("travellers", "[name, kind, role]", (3,)),
    ("programme", "[day, time, what, where, with whom]", (5,)),
    ("corrections", "[made at, summary, and optionally what changed]", (2, 3)),
)
# The parts of a demo file this app loads (portal.demo_file).
SECTIONS = [
    Section(
        "trips",
        Trip,
        required=("slug", "starts_on", "ends_on", "budget_line", "state"),
        handled=("budget_line", "approval", "travellers", "programme", "corrections"),
        references=(
            Reference("committee", "committees", "slug", Committee),
            Reference("partner_city", "partner_cities", "slug", PartnerCity),
            Reference("network", "networks", "slug", CityNetwork),
        ),
        nested=(Section("accounts", AccountLine, required=("category",)),),
        check=_shapes,
    ),
]


def _committee(key: str) -> Committee:
    """A committee by its slug, or by its name in the default language."""
    name = localized("name", default_language())
    return Committee.objects.get(Q(slug=key) | Q(**{name: key}))


def load(data: dict) -> None:
    for row in data.get("trips", []):
        _load_trip(row)


def _load_trip(row: dict) -> None:
    approval = row.get("approval", {})
    defaults = {field: row[field] for field in FIELDS if field in row}
    defaults.update(
        starts_on=datetime.date.fromisoformat(row["starts_on"]),
        ends_on=datetime.date.fromisoformat(row["ends_on"]),
        committee=Committee.objects.filter(slug=row.get("committee")).first(),
        partner_city=PartnerCity.objects.filter(slug=row.get("partner_city")).first(),
        network=CityNetwork.objects.filter(slug=row.get("network")).first(),
        budget_line=BudgetLine.objects.get(
            budget_year__year=row["budget_line"][0], code=row["budget_line"][1]
        ),
        state=row["state"],
        published_at=parse_datetime(row["published_at"]) if row.get("published_at") else None,
        report_approved_on=(
            datetime.date.fromisoformat(approval["approved_on"]) if approval else None
        ),
        report_approved_by=_committee(approval["approved_by"]) if approval else None,
        report_agenda_item=approval.get("agenda_item", ""),
        report_published_at=(parse_datetime(approval["published_at"]) if approval else None),
    )
    # Texts in other languages than the default: title_en, purpose_de and so on.
    defaults.update(
        {
            key: value
            for key, value in row.items()
            if key.rpartition("_")[0] in TRANSLATED and key.rpartition("_")[2] in LANGUAGES
        }
    )
    trip, created = Trip.objects.update_or_create(slug=row["slug"], defaults=defaults)
    if created:
        for name, kind, role in row.get("travellers", []):
            TripTraveller.objects.create(trip=trip, person=person_named(name, kind), role=role)
        for day, time, what, where, with_whom in row.get("programme", []):
            ProgrammeItem.objects.create(
                trip=trip,
                day=datetime.date.fromisoformat(day),
                time=datetime.time.fromisoformat(time) if time else None,
                what=what,
                where=where,
                with_whom=with_whom,
            )
        for line in row.get("accounts", []):
            AccountLine.objects.create(trip=trip, **line)
        # [when, what was corrected, and optionally what changed (travel.corrections)]
        for made_at, summary, *changes in row.get("corrections", []):
            correction = Correction.objects.create(
                trip=trip, summary=summary, changes=changes[0] if changes else []
            )
            Correction.objects.filter(pk=correction.pk).update(made_at=parse_datetime(made_at))
            Trip.objects.filter(pk=trip.pk).update(corrected_at=parse_datetime(made_at))
        totals.added(trip)  # its figures, which the booking below reads
    sync_trip_commitments(trip=trip, actor=None)

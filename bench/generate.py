"""Benchmark data: the demo, plus generated rows in proportion to a scale factor.

Scale 1 is the demo alone. Scale 1000 adds about 100,000 published trips (each with a
programme, accounts and travellers), 200,000 grant applications, 1,000,000 commitments,
5,000 partner cities, 50,000 exchanges and budget years back to 20 in all. Rows are
bulk-inserted in batches inside one transaction per table, so the largest scale takes
minutes. Every generated row passes its model's validation (`valid`: the fields' choices,
lengths and formats, and the model's own rules) before it is written, so a code the model
no longer has cannot be written. Run it on an empty, migrated database:

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.generate --scale 100
"""

import argparse
import datetime
import io
import random
import sys
import time
from decimal import Decimal

PER_UNIT = {
    "partner_cities": 5,
    "trips": 100,
    "applications": 200,
    "commitments": 1000,
    "exchanges": 50,
}
BATCH = 5000
COUNTRIES = ["DE", "SE", "GB", "CN", "CZ", "NO", "FI", "PL", "FR", "NL", "EE", "LT", "IS"]


def counts(scale: int) -> dict[str, int]:
    units = max(0, scale - 1)
    return {name: per_unit * units for name, per_unit in PER_UNIT.items()}


# With many municipalities (--municipalities N): the measured one answers at 127.0.0.1, the
# others at m<i>.bench.invalid, each with the demo and rows at OTHERS_SCALE.
OTHERS_SCALE = 2
MEASURED_HOST = "127.0.0.1"


def other_host(number: int) -> str:
    return f"m{number}.bench.invalid"


def generate(
    scale: int,
    *,
    rows: int | None = None,
    municipalities: int = 1,
    others_scale: int = OTHERS_SCALE,
    out=sys.stdout,
) -> dict[str, int]:
    """The demo plus generated rows: in proportion to `scale`, or `rows` in every table; with
    `municipalities` above 1, as many municipalities, the first measured at `scale`."""
    from django.core.management import call_command

    from portal.models import Municipality, MunicipalityHost
    from portal.scoping import municipality

    with municipality(Municipality.objects.order_by("pk").first()):
        call_command("load_demo", stdout=io.StringIO())
    measured = Municipality.objects.order_by("pk").first()
    with municipality(measured):
        wanted = _rows(scale, rows, seed=scale, out=out)
    if municipalities > 1:
        MunicipalityHost.objects.get_or_create(host=MEASURED_HOST, municipality=measured)
        started = time.perf_counter()
        for number in range(2, municipalities + 1):
            other = Municipality.objects.create(
                name=f"Bench {number}", slug=f"bench-{number}", languages="da,en,de",
                default_language="da", currency="DKK", region=f"Region {number % 5}",
            )  # fmt: skip
            MunicipalityHost.objects.create(municipality=other, host=other_host(number))
            with municipality(other):
                _demo_rows()
                _rows(others_scale, None, seed=number, out=io.StringIO())
        print(
            f"{municipalities - 1} other municipalities at scale {others_scale} "
            f"({time.perf_counter() - started:.0f} s)",
            file=out,
        )
    _analyse()
    return wanted


def _demo_rows() -> None:
    """The demo file's rows in the active municipality, as load_demo writes them."""
    import json

    from django.db import transaction

    from portal.contributions import contributions
    from portal.models import OutboxMail
    from shell.management.commands.load_demo import DEFAULT_FILE

    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        for load in contributions("demo"):
            load(data)
        # The demo's applicants are made up: the mails their cases queued are dropped.
        OutboxMail.objects.all().delete()


def _rows(scale: int, rows: int | None, *, seed: int, out) -> dict[str, int]:
    """Generated rows in the active municipality, and its kept totals counted."""
    from django.db import transaction

    wanted = counts(scale) if rows is None else dict.fromkeys(PER_UNIT, rows)
    rng = random.Random(seed)  # the same data for the same scale
    started = time.perf_counter()
    with transaction.atomic():
        years = _budget_years(scale)
    steps = [
        ("partner_cities", _partner_cities),
        ("exchanges", _exchanges),
        ("trips", _trips),
        ("applications", _applications),
        ("commitments", _commitments),
    ]
    for name, step in steps:
        if wanted[name]:
            with transaction.atomic():
                step(wanted[name], rng, years)
            print(f"{name}: {wanted[name]} ({time.perf_counter() - started:.0f} s)", file=out)
    from portal.tallies import recount

    # The rows were written as an import writes them: count the kept totals from them.
    recount(fix=True)
    print(f"kept totals counted ({time.perf_counter() - started:.0f} s)", file=out)
    return wanted


def _analyse() -> None:
    from django.db import connection

    from portal.pagecache import data_changed

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # (Not inside a transaction, where PostgreSQL refuses VACUUM: a test's.)
        with connection.cursor() as cursor:
            # Fresh statistics and visibility after the bulk load, as autovacuum would make.
            cursor.execute("VACUUM ANALYZE")
    data_changed()


def valid(obj):
    """The object, once it passes its model's validation (Model.full_clean) but for what
    needs a query per row: its links (their keys are read from the database) and its
    uniqueness (each generated name and slug is numbered); ValidationError else."""
    links = [field.name for field in obj._meta.concrete_fields if field.is_relation]
    obj.full_clean(exclude=links, validate_unique=False, validate_constraints=False)
    return obj


def _batches(objects):
    """The objects, validated, in lists of BATCH."""
    batch = []
    for obj in objects:
        batch.append(valid(obj))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _budget_years(scale: int) -> list:
    """Budget years back from the demo's first, up to 20 in all, each with the demo's lines."""
    from budgets.models import BudgetLine, BudgetYear

    first = BudgetYear.objects.order_by("year").first()
    template = list(BudgetLine.objects.filter(budget_year=first))
    total = min(20, 3 + scale // 50) if scale > 1 else BudgetYear.objects.count()
    for year in range(first.year - 1, first.year - 1 - (total - BudgetYear.objects.count()), -1):
        budget_year = valid(BudgetYear(year=year))
        budget_year.save()
        BudgetLine.objects.bulk_create(
            [
                valid(
                    BudgetLine(
                        budget_year=budget_year,
                        code=line.code,
                        name_da=line.name_da,
                        name_en=line.name_en,
                        kind=line.kind,
                        amount=line.amount,
                        owner_id=line.owner_id,
                        carries_over=False,
                        position=line.position,
                    )
                )
                for line in template
            ]
        )
    return list(BudgetYear.objects.order_by("year"))


def _partner_cities(n, rng, years):
    from partnerships.enums import PartnerCityKind
    from partnerships.models import PartnerCity

    kinds = PartnerCityKind.values
    for batch in _batches(
        PartnerCity(
            slug=f"bench-city-{i}",
            name=f"Bench City {i}",
            country=rng.choice(COUNTRIES),
            kind=rng.choice(kinds),
            since=rng.randint(1960, 2025),
            status="active" if i % 7 else "ended",
            description_da="Genereret samarbejdsby til måling af portalens hastighed.",
        )
        for i in range(n)
    ):
        PartnerCity.objects.bulk_create(batch)


def _exchanges(n, rng, years):
    from partnerships.enums import ExchangeKind
    from partnerships.models import Exchange, PartnerCity, School

    cities = list(PartnerCity.objects.values_list("pk", flat=True)[:500])
    schools = [School.objects.get_or_create(name=f"Skole {i}")[0].pk for i in range(40)]
    kinds = ExchangeKind.values

    def exchange(i):
        start = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randint(0, 5800))
        return Exchange(
            title=f"Udveksling {i}",
            kind=rng.choice(kinds),
            school_id=schools[i % len(schools)],
            partner_city_id=rng.choice(cities),
            direction="outgoing",
            starts_on=start,
            ends_on=start + datetime.timedelta(days=rng.randint(1, 14)),
            pupils=rng.randint(1, 30),
            teachers=rng.randint(0, 4),
        )

    for batch in _batches(exchange(i) for i in range(n)):
        Exchange.objects.bulk_create(batch)


def _trips(n, rng, years):
    from django.utils import timezone

    from budgets.models import Committee
    from partnerships.models import PartnerCity
    from travel.models import AccountLine, Person, ProgrammeItem, Trip, TripTraveller

    committees = list(Committee.objects.values_list("pk", flat=True)) or [None]
    cities = list(PartnerCity.objects.values_list("pk", flat=True)[:500])
    people = Person.objects.bulk_create(
        [
            valid(
                Person(
                    slug=f"bench-person-{i}",
                    name=f"Bench Person {i}",
                    kind=rng.choice(["politician", "official"]),
                )
            )
            for i in range(max(50, n // 100))
        ]
    )
    now = timezone.now()
    for start in range(0, n, BATCH):
        trips = []
        for i in range(start, min(n, start + BATCH)):
            departs = datetime.date(2007, 1, 1) + datetime.timedelta(days=rng.randint(0, 7000))
            trips.append(
                valid(
                    Trip(
                        slug=f"bench-trip-{i}",
                        title=f"Studierejse {i}",
                        purpose="At lære af samarbejdsbyens skoler, ældrepleje og klimaarbejde.",
                        destination_city=f"By {i % 300}",
                        destination_country=rng.choice(COUNTRIES),
                        partner_city_id=rng.choice(cities) if i % 3 else None,
                        starts_on=departs,
                        ends_on=departs + datetime.timedelta(days=rng.randint(1, 7)),
                        committee_id=rng.choice(committees),
                        other_participants=rng.randint(0, 3),
                        accounts_status="final",
                        state="report_published" if i % 4 == 0 else "published",
                        published_at=now,
                        report="Rejsen gav ny viden om skoler og klima." if i % 4 == 0 else "",
                        report_published_at=now if i % 4 == 0 else None,
                    )
                )
            )
        trips = Trip.objects.bulk_create(trips)
        ProgrammeItem.objects.bulk_create(
            valid(ProgrammeItem(trip=trip, day=trip.starts_on, what=f"Møde {k} med borgmesteren"))
            for trip in trips
            for k in range(3)
        )
        AccountLine.objects.bulk_create(
            valid(
                AccountLine(
                    trip=trip,
                    category=category,
                    budgeted=Decimal(rng.randint(2000, 20000)),
                    actual=Decimal(rng.randint(2000, 20000)),
                )
            )
            for trip in trips
            for category in ("transport", "accommodation", "meals")
        )
        TripTraveller.objects.bulk_create(
            valid(TripTraveller(trip=trip, person=person, role="Medlem af udvalget"))
            for trip in trips
            for person in rng.sample(people, 2)
        )


# The applications still open (waiting, approved, paid) are those departing in the generated
# history's last weeks (about 300 of 40,000 at scale 200): an officer's queue holds tens,
# not two thirds of history.
OPEN_DAYS = 45


def _applications(n, rng, years):
    from django.utils import timezone

    from grants.models import GrantApplication, GrantScheme
    from partnerships.models import PartnerCity

    schemes = list(GrantScheme.objects.values_list("pk", flat=True))
    cities = list(PartnerCity.objects.values_list("pk", flat=True)[:500])
    states = ["submitted", "in_review", "approved", "paid", "closed", "rejected"]
    first, days = datetime.date(2010, 1, 1), 5800
    # A real queue holds the cases of the last weeks: what departed before was decided,
    # paid and closed (or rejected) long ago.
    open_from = first + datetime.timedelta(days=days - OPEN_DAYS)

    def application(i):
        departs = first + datetime.timedelta(days=rng.randint(0, days))
        if departs >= open_from:
            state = rng.choice(states)
        else:
            state = rng.choice(["closed", "closed", "closed", "rejected"])
        decided = state in ("approved", "paid", "closed", "rejected")
        return GrantApplication(
            scheme_id=rng.choice(schemes),
            state=state,
            applicant_kind="youth_association",
            applicant_name=f"Ansøger {i}",
            applicant_email=f"ansoger{i}@example.dk",
            applicant_mailbox=f"ansoger{i}@example.dk",  # bulk_create skips save()
            organisation=f"Forening {i % 200}",
            purpose="Lejr og udveksling med partnerbyens unge.",
            partner_city_id=rng.choice(cities),
            departs_on=departs,
            returns_on=departs + datetime.timedelta(days=5),
            participants=10,
            participants_under_25=9,
            cost_travel=Decimal(15000),
            cost_accommodation=Decimal(5000),
            cost_other=Decimal(0),
            amount_requested=Decimal(8000),
            amount_granted=Decimal(6000) if decided and state != "rejected" else None,
            decided_at=timezone.make_aware(datetime.datetime.combine(departs, datetime.time(12)))
            if decided
            else None,
        )

    for batch in _batches(application(i) for i in range(n)):
        GrantApplication.objects.bulk_create(batch)


def _commitments(n, rng, years):
    from budgets.models import BudgetLine, Commitment

    lines = list(BudgetLine.objects.select_related("budget_year"))
    for batch in _batches(
        Commitment(
            line=(line := rng.choice(lines)),
            amount=Decimal(rng.randint(1, 200)),
            booked_on=datetime.date(line.budget_year.year, rng.randint(1, 12), rng.randint(1, 28)),
            description=f"Bogføring {i}",
            source="manual",
            is_spent=bool(i % 2),
        )
        for i in range(n)
    ):
        Commitment.objects.bulk_create(batch)


def main(argv=None) -> None:
    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="1 = the demo; 1000 = the largest")
    parser.add_argument("--rows", type=int, help="instead of a scale: this many rows per table")
    parser.add_argument(
        "--municipalities", type=int, default=1, help="this many, the first at --scale"
    )
    args = parser.parse_args(argv)
    django.setup()
    generate(args.scale, rows=args.rows, municipalities=args.municipalities)


if __name__ == "__main__":
    main()

"""`manage.py load_population FILE`: how many lived in each municipality in each year, from
a CSV file (docs/users/national.md describes it). The whole file is checked first; a
problem is named by its line and nothing is written. Then each (municipality, year) is
added or, when the service has it already, updated."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import Municipality, Population

HEADER = ["municipality", "year", "inhabitants"]
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_LINES = 100_000
MAX_PROBLEMS = 50


class Command(BaseCommand):
    help = (
        "Load the population of municipalities per year from a CSV file with the header "
        "municipality,year,inhabitants (a municipality's short name, a year, a whole number "
        "above 0; comma or semicolon between them). Checks the whole file first and writes "
        "nothing when a line is wrong; adds or updates each municipality's year."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file.")

    def handle(self, *args, file, **options):
        rows = read(Path(file))
        with transaction.atomic():
            added, updated = store(rows)
        self.stdout.write(f"{added} added, {updated} updated.")


def read(path: Path) -> dict[tuple[int, int], int]:
    """{(municipality key, year): inhabitants} of the file; CommandError naming every
    problem (by line) when any line is wrong."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text (save the file as CSV UTF-8).") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CommandError(f"{path}: line 1: the header {','.join(HEADER)} is missing.")
    if len(lines) > MAX_LINES:
        raise CommandError(f"{path}: more than {MAX_LINES} lines.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    records = list(csv.reader(lines, delimiter=delimiter))
    header = [cell.strip().lower() for cell in records[0]]
    if header != HEADER:
        raise CommandError(
            f"{path}: line 1: the header must be {','.join(HEADER)}, not {','.join(header)}."
        )
    municipalities = dict(Municipality.objects.values_list("slug", "pk"))
    problems, rows, seen = [], {}, {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # an empty line
        problem = _problem(record, municipalities)
        if isinstance(problem, str):
            problems.append(f"line {number}: {problem}")
            continue
        key, inhabitants = problem
        if key in seen:
            problems.append(
                f"line {number}: {record[0].strip()} {key[1]} is also on line {seen[key]}."
            )
            continue
        seen[key] = number
        rows[key] = inhabitants
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS} more.")
        raise CommandError(f"{path}: nothing was loaded. Correct these lines:\n" + "\n".join(shown))
    if not rows:
        raise CommandError(f"{path}: no lines after the header.")
    return rows


def _problem(record: list[str], municipalities: dict):
    """What is wrong with a line (a text), or ((municipality key, year), inhabitants)."""
    if len(record) != len(HEADER):
        return f"{len(record)} values, expected {len(HEADER)} ({','.join(HEADER)})."
    slug, year, inhabitants = (cell.strip() for cell in record)
    if slug not in municipalities:
        return f"no municipality has the short name “{slug[:60]}”."
    if not (year.isascii() and year.isdigit()) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return f"the year “{year[:20]}” is not a year from {FIRST_YEAR} to {LAST_YEAR}."
    if not (inhabitants.isascii() and inhabitants.isdigit()) or int(inhabitants) < 1:
        return (
            f"the inhabitants “{inhabitants[:20]}” are not a whole number above 0 "
            "(write digits only, no separators)."
        )
    if int(inhabitants) > 2_147_483_647:
        return f"the inhabitants “{inhabitants[:20]}” are too many."
    return (municipalities[slug], int(year)), int(inhabitants)


def store(rows: dict[tuple[int, int], int]) -> tuple[int, int]:
    """Add each (municipality, year) the service does not have, update those it has."""
    existing = {
        (population.municipality_id, population.year): population
        for population in Population.objects.filter(
            municipality__in={municipality for municipality, _year in rows},
            year__in={year for _municipality, year in rows},
        )
    }
    new, changed = [], []
    for (municipality, year), inhabitants in rows.items():
        found = existing.get((municipality, year))
        if found is None:
            new.append(Population(municipality_id=municipality, year=year, inhabitants=inhabitants))
        elif found.inhabitants != inhabitants:
            found.inhabitants = inhabitants
            changed.append(found)
    Population.objects.bulk_create(new, batch_size=1000)
    Population.objects.bulk_update(changed, ["inhabitants"], batch_size=1000)
    return len(new), len(changed)

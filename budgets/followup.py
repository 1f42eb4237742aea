"""The follow-up of initiatives: round-by-round status, and its CSV format.

One CSV row per initiative; its milestones (three columns per follow-up round, the rounds
being records: budgets.FollowUpRound) and the economy line are columns. An exported file
can be edited and imported back: rows are matched on (year, number, title); an import with
any bad row imports nothing and reports every bad row by its line number.
"""

import csv
import io
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from budgets.enums import EconomySmiley, MilestoneSmiley
from budgets.models import BudgetYear, Committee, FollowUpRound, Initiative, Milestone
from portal import audit
from portal.audit import AuditAction
from portal.csvexport import DELIMITER, unneutralise
from portal.i18n import in_default_language
from portal.money import format_number

INITIATIVE_COLUMNS = [
    "year",
    "number",
    "title",
    "description",
    "responsible_centre",
    "responsible_committee",
    "main_contributor",
]
MILESTONE_PARTS = ["milestone", "smiley", "status"]
ECONOMY_COLUMNS = ["economy", "economy_status", "economy_smiley"]


def round_codes() -> list[str]:
    """The follow-up's rounds, in order (one query)."""
    return list(FollowUpRound.objects.values_list("code", flat=True))


def columns(rounds: list[str]) -> list[str]:
    return [
        *INITIATIVE_COLUMNS,
        *[f"{round_}_{part}" for round_ in rounds for part in MILESTONE_PARTS],
        *ECONOMY_COLUMNS,
    ]


def committee_key(committee) -> str:
    """A committee as the CSV names it: by its name in the default language."""
    return in_default_language(committee, "name")


def initiatives_for_year(budget_year: BudgetYear):
    return (
        Initiative.objects.filter(budget_year=budget_year)
        .select_related("responsible_committee", "budget_year")
        .prefetch_related("milestones__round")
    )


def milestones_in_order(initiative: Initiative) -> list[Milestone]:
    """Its milestones in the order of the rounds (milestones prefetched with their round)."""
    return sorted(
        initiative.milestones.all(),
        key=lambda milestone: (milestone.round.position, milestone.round.code),
    )


def export_rows(budget_year: BudgetYear, rounds: list[str]) -> list[list[str]]:
    rows = []
    for initiative in initiatives_for_year(budget_year):
        by_round = {milestone.round.code: milestone for milestone in initiative.milestones.all()}
        row = [
            str(budget_year.year),
            initiative.number,
            initiative.title,
            initiative.description,
            initiative.responsible_centre,
            committee_key(initiative.responsible_committee)
            if initiative.responsible_committee
            else "",
            initiative.main_contributor,
        ]
        for round_ in rounds:
            milestone = by_round.get(round_)
            row += (
                [milestone.description, milestone.smiley, milestone.status_text]
                if milestone
                else ["", "", ""]
            )
        row += [
            initiative.economy_description,
            initiative.economy_status,
            initiative.economy_smiley,
        ]
        rows.append(row)
    return rows


class FollowUpImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def import_csv(data: bytes, *, actor, budget_year: BudgetYear) -> int:
    """Create or update initiatives and milestones from a CSV file. All or nothing.

    Side effects: Initiative and Milestone rows, an audit entry on the year whose page the
    file was imported on. Raises FollowUpImportError with one message per bad line.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FollowUpImportError(
            [_("The file is not UTF-8 text. Save it as CSV (UTF-8).")]
        ) from None
    delimiter = DELIMITER if text.split("\n", 1)[0].count(DELIMITER) else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rounds = round_codes()
    with _readable(reader):
        fieldnames = reader.fieldnames or []
    missing = [column for column in columns(rounds) if column not in fieldnames]
    if missing:
        raise FollowUpImportError(
            [_("Columns are missing: %(columns)s") % {"columns": ", ".join(missing)}]
        )

    committees = {
        committee_key(committee).casefold(): committee for committee in Committee.objects.all()
    }
    years = {budget_year.year: budget_year for budget_year in BudgetYear.objects.all()}
    parsed, errors = [], []
    for line_number, raw in enumerate(_rows(reader), start=2):
        row = {key: unneutralise(value) if isinstance(value, str) else value
               for key, value in raw.items()}  # fmt: skip
        problems = _row_problems(row, committees, years, rounds)
        if problems:
            errors += [
                _("Line %(line)s: %(problem)s") % {"line": line_number, "problem": p}
                for p in problems
            ]
        else:
            parsed.append(row)
    if errors:
        raise FollowUpImportError(errors)

    with transaction.atomic():
        for row in parsed:
            _save_row(row, committees, years, rounds)
        numbers = ", ".join(row["number"] for row in parsed)
        audit.record(
            actor=actor,
            action=AuditAction.FOLLOW_UP_IMPORT,
            obj=budget_year,
            summary=f"{budget_year.year}: {len(parsed)} ({numbers})",
        )
    return len(parsed)


# The longest field a line may hold: the csv module's own default limit, held here because
# that limit is process-wide and a library may raise it (frictionless does on import).
FIELD_LIMIT = 128 * 1024


@contextmanager
def _readable(reader):
    """A field longer than FIELD_LIMIT, or a line the csv module cannot read, is said here
    as the file's problem, on the line it stopped at, so that the form shows it and nothing
    is imported."""
    try:
        yield
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            problem = _("a field is longer than %(limit)s characters") % {
                "limit": format_number(FIELD_LIMIT)
            }
        else:
            problem = _("the line cannot be read as CSV")
        raise FollowUpImportError(
            [_("Line %(line)s: %(problem)s") % {"line": reader.reader.line_num, "problem": problem}]
        ) from None


def _rows(reader):
    """The file's rows; a line with fewer cells than the header (or more that are not empty)
    is a line that cannot be read: its missing cells would otherwise be None, not text."""
    with _readable(reader):
        for row in reader:
            extra = row.get(None) or []
            if None in row.values() or any(cell.strip() for cell in extra):
                raise csv.Error("the line's cells do not match the header")
            if any(len(cell) > FIELD_LIMIT for cell in row.values() if isinstance(cell, str)):
                raise csv.Error("field larger than field limit")
            yield row


def _row_problems(row, committees, years, rounds) -> list[str]:
    problems = []
    year = (row.get("year") or "").strip()
    if not year.isdigit() or int(year) not in years:
        problems.append(_("the year %(year)s has no budget year in the portal") % {"year": year})
    if not (row.get("number") or "").strip():
        problems.append(_("the number is missing"))
    if not (row.get("title") or "").strip():
        problems.append(_("the title is missing"))
    elif len(row["title"].strip()) > 250:
        problems.append(_("the title is longer than 250 characters"))
    committee = (row.get("responsible_committee") or "").strip()
    if committee and committee.casefold() not in committees:
        problems.append(_("the committee “%(name)s” is unknown") % {"name": committee})
    for round_ in rounds:
        smiley = (row.get(f"{round_}_smiley") or "").strip()
        if smiley and smiley not in MilestoneSmiley.values:
            problems.append(
                _("the smiley “%(value)s” is not one of %(allowed)s")
                % {"value": smiley, "allowed": ", ".join(MilestoneSmiley.values)}
            )
        if smiley and not (row.get(f"{round_}_milestone") or "").strip():
            problems.append(_("a smiley is given for a milestone that has no text"))
    economy = (row.get("economy_smiley") or "").strip()
    if economy and economy not in EconomySmiley.values:
        problems.append(
            _("the smiley “%(value)s” is not one of %(allowed)s")
            % {"value": economy, "allowed": ", ".join(EconomySmiley.values)}
        )
    return problems


def _save_row(row, committees, years, rounds) -> None:
    committee = (row.get("responsible_committee") or "").strip()
    initiative, _created = Initiative.objects.update_or_create(
        budget_year=years[int(row["year"])],
        number=row["number"].strip(),
        title=row["title"].strip(),
        defaults={
            "description": row["description"].strip(),
            "responsible_centre": row["responsible_centre"].strip(),
            "responsible_committee": committees.get(committee.casefold()) if committee else None,
            "main_contributor": row["main_contributor"].strip(),
            "economy_description": row["economy"].strip(),
            "economy_status": row["economy_status"].strip(),
            "economy_smiley": row["economy_smiley"].strip(),
        },
    )
    for round_ in rounds:
        description = row[f"{round_}_milestone"].strip()
        if not description:
            Milestone.objects.filter(initiative=initiative, round__code=round_).delete()
            continue
        Milestone.objects.update_or_create(
            initiative=initiative,
            round=FollowUpRound.objects.get(code=round_),
            defaults={
                "description": description,
                "smiley": row[f"{round_}_smiley"].strip(),
                "status_text": row[f"{round_}_status"].strip(),
            },
        )


def save_initiative(*, form, actor) -> Initiative:
    """Save an initiative and the text of its milestones (a round left empty has none).
    Side effects: the rows and an audit entry."""
    with transaction.atomic():
        initiative = form.save()
        audit.record(
            actor=actor,
            action=AuditAction.INITIATIVE_SAVE,
            obj=initiative,
            summary=f"{initiative.number} {initiative.title}",
            changed=", ".join(form.changed_data),
        )
        for round_, description in form.milestone_texts().items():
            if description:
                Milestone.objects.update_or_create(
                    initiative=initiative,
                    round=FollowUpRound.objects.get(code=round_),
                    defaults={"description": description},
                )
            else:
                Milestone.objects.filter(initiative=initiative, round__code=round_).delete()
    return initiative


def record_round(*, entries, actor, budget_year: BudgetYear, round_label: str) -> None:
    """Save the status of one follow-up round: [(initiative, milestone, milestone_data,
    economy_data)]. All or nothing. Side effects: the rows and one audit entry naming the
    initiatives whose status changed."""
    with transaction.atomic():
        changed = [
            initiative.number
            for initiative, milestone, milestone_data, economy_data in entries
            if (
                milestone is not None
                and (milestone.smiley, milestone.status_text)
                != (milestone_data["smiley"], milestone_data["status_text"])
            )
            or (initiative.economy_smiley, initiative.economy_status)
            != (economy_data["economy_smiley"], economy_data["economy_status"])
        ]
        audit.record(
            actor=actor,
            action=AuditAction.FOLLOW_UP_ROUND,
            obj=budget_year,
            summary=f"{budget_year.year}, {round_label}: {', '.join(changed) or '-'}",
        )
        for initiative, milestone, milestone_data, economy_data in entries:
            if milestone is not None:
                milestone.smiley = milestone_data["smiley"]
                milestone.status_text = milestone_data["status_text"]
                milestone.save(update_fields=["smiley", "status_text"])
            initiative.economy_smiley = economy_data["economy_smiley"]
            initiative.economy_status = economy_data["economy_status"]
            initiative.save(update_fields=["economy_smiley", "economy_status"])

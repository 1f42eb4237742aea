from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from budgets.enums import EconomySmiley, MilestoneSmiley
from budgets.models import FollowUpRound, Initiative
from budgets.selectors import public_years, staff_resources
from portal.opendata import (
    Column,
    Dataset,
    PerRecord,
    named,
    named_schema,
    period_of,
    register,
)

BUDGET_LINES = register(
    Dataset(
        slug="budget",
        period=period_of(public_years, "year", years=True),
        title=_("Budget lines and balances"),
        description=_(
            "A year's budget lines for international work and travel, with what was carried "
            "over, committed and spent. Balances are computed from every commitment booked."
        ),
        page="budgets:year",
        index="budgets:index",
        index_downloads=True,
        api="api:budget-year-list",
        columns=(
            Column(
                "year",
                _("Year"),
                _("The budget year."),
                "integer",
                lambda b: b.line.budget_year.year,
            ),
            Column(
                "code",
                _("Code"),
                _("The line's code; the same code links a line across years."),
                value=lambda b: b.line.code,
            ),
            Column(
                "name",
                _("Budget line"),
                _("The line's name."),
                value=lambda b: b.line.name,
                translated="line.name",
            ),
            Column(
                "kind",
                _("Kind"),
                _("What the line is for."),
                "code",
                lambda b: b.line.kind.code,
                words=lambda b: b.line.kind.name,
            ),
            Column(
                "owner",
                _("Owner"),
                _(
                    "The committee the line belongs to, if any: in the CSV its name, in the "
                    "JSON its identifier and its name in every language."
                ),
                value=lambda b: named(b.line.owner),
                words=lambda b: b.line.owner.name if b.line.owner else "",
                nullable=True,
                json_schema=named_schema(),
            ),
            Column(
                "amount",
                _("Amount"),
                _("The year's appropriation."),
                "decimal",
                lambda b: b.line.amount,
            ),
            Column(
                "carried_in",
                _("Carried over"),
                _("Left from earlier years of the election period (lines that carry over)."),
                "decimal",
            ),
            Column("available", _("Available"), _("Amount plus what was carried over."), "decimal"),
            Column(
                "committed",
                _("Committed"),
                _(
                    "Granted or booked against the line; grants as the grant statistics publish "
                    "them (months that have ended, in batches, no small groups)."
                ),
                "decimal",
            ),
            Column(
                "spent",
                _("Spent"),
                _(
                    "The part of what was committed that is paid, without grant payments, "
                    "which would single out one grant."
                ),
                "decimal",
            ),
            Column("remaining", _("Remaining"), _("Available minus committed."), "decimal"),
            Column(
                "carries_over",
                _("Carries over"),
                _("Whether what is left passes to the next year of the election period."),
                "boolean",
                lambda b: b.line.carries_over,
            ),
        ),
    )
)

STAFF_TIME = register(
    Dataset(
        slug="staff-time",
        period=period_of(staff_resources, "budget_year__year", years=True),
        title=_("Staff time for international work"),
        description=_(
            "The staff time each budget year gives the international work beside its money: "
            "what the time is for, in full-time equivalents and hours a year, and an "
            "estimated cost where there is one. The estimate is not part of the budget's "
            "amounts."
        ),
        page="budgets:staff_time",
        columns=(
            Column(
                "year",
                _("Year"),
                _("The budget year."),
                "integer",
                lambda r: r.budget_year.year,
            ),
            Column(
                "description",
                _("Staff time for"),
                _("What the time is for."),
                translated="description",
            ),
            Column(
                "full_time_equivalents",
                _("Full-time equivalents"),
                _(
                    "The time as shares of a full-time post (0.5: half a post); empty if given "
                    "in hours only."
                ),
                "number",
                nullable=True,
            ),
            Column(
                "hours_per_year",
                _("Hours a year"),
                _(
                    "The time as hours a year; empty if given as posts only. Posts and hours "
                    "are not converted into each other."
                ),
                "integer",
                nullable=True,
            ),
            Column(
                "estimated_cost",
                _("Estimated cost"),
                _(
                    "What the time costs a year, estimated, where the municipality gives an "
                    "estimate; not part of the budget lines' amounts."
                ),
                "decimal",
                nullable=True,
            ),
        ),
    )
)


def _milestone_columns(round_: FollowUpRound) -> tuple[Column, ...]:
    def part(name):
        def value(initiative):
            milestones = (m for m in initiative.milestones.all() if m.round_id == round_.pk)
            return getattr(next(milestones, None), name, "")

        return value

    return (
        Column(
            f"{round_.code}_milestone",
            format_lazy("{}: {}", _("Milestone"), round_.name),
            _("What the initiative should have reached by this follow-up."),
            value=part("description"),
        ),
        Column(
            f"{round_.code}_smiley",
            format_lazy("{}: {}", _("Smiley"), round_.name),
            _("Whether the milestone was met."),
            "code",
            part("smiley"),
            choices=MilestoneSmiley,
        ),
        Column(
            f"{round_.code}_status",
            format_lazy("{}: {}", _("Status"), round_.name),
            _("The status written at this follow-up."),
            value=part("status_text"),
        ),
    )


INITIATIVES = register(
    Dataset(
        slug="follow-up",
        period=period_of(Initiative.objects.all, "budget_year__year", years=True),
        title=_("Follow-up of initiatives"),
        description=_(
            "The year's initiatives of the international strategy, their milestones at each "
            "budget follow-up and whether the economy was kept."
        ),
        page="budgets:follow_up",
        index="budgets:follow_up_index",
        index_downloads=True,
        columns=(
            Column(
                "year", _("Year"), _("The budget year."), "integer", lambda i: i.budget_year.year
            ),
            Column("number", _("Number"), _("The initiative's number in the strategy.")),
            Column("title", _("Title"), _("The initiative.")),
            Column("description", _("Description"), _("What the initiative is.")),
            Column("responsible_centre", _("Responsible centre"), _("The centre responsible.")),
            Column(
                "responsible_committee",
                _("Responsible committee"),
                _("The committee responsible, if any."),
                value=lambda i: i.responsible_committee.name if i.responsible_committee else "",
            ),
            Column("main_contributor", _("Main contributor"), _("Who mainly carries it out.")),
            PerRecord(
                lambda: [
                    column
                    for round_ in FollowUpRound.objects.all()
                    for column in _milestone_columns(round_)
                ]
            ),
            Column(
                "economy",
                _("Economy"),
                _("The initiative's economy."),
                value=lambda i: i.economy_description,
            ),
            Column("economy_status", _("Economy status"), _("Status of the economy at year end.")),
            Column(
                "economy_smiley",
                _("Economy smiley"),
                _("Whether the budget was kept."),
                "code",
                choices=EconomySmiley,
            ),
        ),
    )
)

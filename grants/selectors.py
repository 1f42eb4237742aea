"""Public statistics: what was granted, never who applied."""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from grants.enums import DECIDED, ApplicantKind, ApplicationState
from grants.models import (
    ApplicationEvent,
    GrantApplication,
    GrantMonthTotal,
    GrantScheme,
    GrantTotal,
)
from portal.i18n import all_languages, from_row
from portal.statistics import published_until, released

# Only organisations are ever named in public, and only with their consent.
ASSOCIATIONS = [
    ApplicantKind.YOUTH_ASSOCIATION,
    ApplicantKind.TWIN_TOWN_ASSOCIATION,
    ApplicantKind.SCHOOL,
]


def officer_cases():
    """The cases officers see: every application whose applicant confirmed their address."""
    return GrantApplication.objects.exclude(state=ApplicationState.UNCONFIRMED)


def granted():
    """Grants that stand: decided with an amount, and never withdrawn. A withdrawn grant
    keeps its amount and may later be closed (a decided state again); its booking was
    reversed, so it counts nowhere, not in the statistics and not on the budget."""
    withdrawn = ApplicationEvent.objects.filter(to_state=ApplicationState.WITHDRAWN)
    return GrantApplication.objects.filter(state__in=DECIDED, amount_granted__isnull=False).exclude(
        pk__in=withdrawn.values("application")
    )


def _ended_months(model=GrantTotal):
    """The kept totals (`GrantTotal` or `GrantMonthTotal`) of months that have ended: what
    the statistics may publish (portal.statistics.released picks the months they do)."""
    until = published_until()
    return model.objects.filter(grants__gt=0).filter(
        Q(year__lt=until.year) | Q(year=until.year, month__lt=until.month)
    )


def statistics_years() -> list[int]:
    """The years with grants the statistics publish, newest first (from the totals kept per
    scheme and month: a dozen rows a year)."""
    years = _ended_months(GrantMonthTotal).values_list("year", flat=True)
    return list(years.order_by("-year").distinct())


def published_figures(years=None, *, with_municipality: bool = False) -> list[dict]:
    """THE published grant figures, per scheme and year of decision (of `years` only, when
    given): what the statistics page and API, the budget's pages and API and the downloads
    all show of grants. One query over the totals kept per scheme and month.

    The rule (portal.statistics.released): only months that have ended, added in batches of
    at least STATISTICS_MIN_GROUP grants; a scheme's year with fewer than that released is
    `suppressed` (no count, no amount). `released_until` is the (year, month) up to which a
    row's months are counted, None when nothing is.

    `with_municipality`: each row also gives its municipality's key (`municipality`), for the
    national comparison, which reads every municipality's rows at once."""
    months = _ended_months(GrantMonthTotal)
    if years is not None:
        months = months.filter(year__in=list(years))
    rows: dict[tuple, dict] = {}
    per_month = months.values(
        "year",
        "month",
        "grants",
        "amount",
        "scheme__pk",
        "scheme__slug",
        "scheme__budget_line_code",
        *all_languages("scheme__name"),
        *(["municipality"] if with_municipality else []),
    ).order_by("-year", "scheme__name", "scheme__pk", "month")
    for month in per_month:
        row = rows.setdefault(
            (month["year"], month["scheme__pk"]),
            {
                key: value
                for key, value in month.items()
                if key.startswith(("year", "scheme", "municipality"))
            }
            | {"months": {}},
        )
        row["months"][month["year"], month["month"]] = (month["grants"], month["amount"])
    result = []
    for row in rows.values():
        figures = released(row.pop("months"))
        row["scheme_name"] = from_row(row, "scheme__name")
        row.update(
            trips=None if figures.suppressed else figures.count,
            amount=None if figures.suppressed else figures.amount,
            suppressed=figures.suppressed,
            released_until=figures.until,
        )
        result.append(row)
    return result


def published_period() -> tuple[datetime.date | None, datetime.date | None]:
    """The period the published grant figures cover, for the download's description: from
    1 January of the first year with published figures to the end of the last month
    released. Never a decision's own date, which the first and last decision would give."""
    rows = [row for row in published_figures() if not row["suppressed"]]
    if not rows:
        return None, None
    first = datetime.date(min(row["year"] for row in rows), 1, 1)
    year, month = max(row["released_until"] for row in rows)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return first, last


def statistics(names: int | None = None, year: int | None = None) -> list[dict]:
    """Per scheme and year of decision (of `year` only, when given): amount granted and
    number of trips, by the one rule of published_figures(), with the partner cities and
    associations of the months it releases: three queries over the kept totals, however
    many applications there are.

    With `names`, each row names at most that many partner cities and associations (the
    first by name) and says how many more there are (`more_partner_cities`,
    `more_associations`): a page's length then does not grow with the number of cities.
    A suppressed row shows no figures, cities or names."""
    return _with_names(published_figures(None if year is None else [year]), names)


class StatisticsRows(Sequence):
    """Every row of statistics(names=...), each named only when a page of them is read: a
    page of the API ranks the names of its own schemes' years, not of every year (two
    queries a page, over the kept totals; docs/developer/benchmark.md)."""

    def __init__(self, names: int | None = None):
        self.rows = published_figures()
        self.names = names

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _with_names(self.rows[index], self.names)
        return _with_names([self.rows[index]], self.names)[0]

    def __iter__(self):
        return iter(self[:])


def _with_names(rows: list[dict], names: int | None) -> list[dict]:
    """The rows (of published_figures) with their partner cities and associations (at most
    `names` of each, with how many more): two queries, ranking the names of these rows'
    schemes' years only."""
    rows = [dict(row) for row in rows]
    released_months = Q(pk__in=[])
    for row in rows:
        if not row["suppressed"]:
            until_year, until_month = row["released_until"]
            released_months |= Q(year=row["year"], scheme__pk=row["scheme__pk"]) & (
                Q(year__lt=until_year) | Q(year=until_year, month__lte=until_month)
            )
    totals = _ended_months().filter(released_months)
    cities = _names_per_row(totals.filter(partner_city__isnull=False), "partner_city__name", names)
    associations = _names_per_row(totals.exclude(association=""), "association", names)
    for row in rows:
        key = (row["year"], row["scheme__pk"])
        if row["suppressed"]:
            row.update(
                partner_cities=[], associations=[], more_partner_cities=0, more_associations=0
            )
        else:
            row["partner_cities"], row["more_partner_cities"] = cities.get(key, ([], 0))
            row["associations"], row["more_associations"] = associations.get(key, ([], 0))
    return rows


def _names_per_row(totals, field: str, limit: int | None) -> dict:
    """{(year, scheme): (the distinct names in `field` by name, how many more)}, at most
    `limit` names per year and scheme (None: all of them), in one query."""
    group = [F("year"), F("scheme__pk")]
    distinct = totals.values("year", "scheme__pk", name=F(field)).annotate(n=Sum("grants"))
    if limit is not None:
        distinct = distinct.annotate(
            place=Window(RowNumber(), partition_by=group, order_by=F(field).asc()),
            of=Window(Count("*"), partition_by=group),
        ).filter(place__lte=limit)
    listed, counted = {}, {}
    for row in distinct.order_by("name"):
        key = (row["year"], row["scheme__pk"])
        listed.setdefault(key, []).append(row["name"])
        counted[key] = row.get("of", len(listed[key]))
    return {key: (names, counted[key] - len(names)) for key, names in listed.items()}


def grants_to_city(city) -> dict:
    """Grants for travel to a partner city, in aggregate, by the one rule (months that have
    ended, released in batches; fewer than the threshold: no figures). One query, over the
    kept totals."""
    months = (
        _ended_months()
        .filter(partner_city=city)
        .values("year", "month")
        .annotate(count=Sum("grants"), amount=Sum("amount"))
    )
    figures = released({(m["year"], m["month"]): (m["count"], m["amount"]) for m in months})
    if not figures.any:
        return {"count": 0, "amount": None, "suppressed": False}
    if figures.suppressed:
        return {"count": None, "amount": None, "suppressed": True}
    return {"count": figures.count, "amount": figures.amount, "suppressed": False}


def search_schemes(query: str):
    from portal import search

    fields = [*all_languages("name"), *all_languages("text")]
    schemes = GrantScheme.objects.all()
    return search.ranked(
        schemes.filter(search.matches(schemes, fields, query)), fields, query, "name"
    )


def case_number_query(text: str) -> Q | None:
    """The cases a typed case number ("2026-0011", "2026-11") names, as a filter, or None when
    the text is no case number. The number is `GrantApplication.case_number`: the year the
    case came in and its key."""
    year, dash, number = text.strip().partition("-")
    if not (dash and year.isdigit() and number.isdigit() and len(year) == 4):
        return None
    return Q(pk=int(number), submitted_at__year=int(year))


def unspent_grant(application):
    """What the applicant repays under the scheme's rule (`repay_unspent`): the amount
    granted less the actual costs of the report sent, when those are below it; else None.
    The officer's page shows it and a repayment claim starts from it."""
    if not (application.scheme.repay_unspent and application.report_submitted_at):
        return None
    if application.amount_granted is None or application.report_cost is None:
        return None
    difference = application.amount_granted - application.report_cost
    return difference if difference > 0 else None


def case_mails(application):
    """Every mail the case caused (to the applicant and to officers), oldest first, from the
    outbox: reminders included."""
    from portal.models import OutboxMail

    return OutboxMail.objects.filter(grant_case__application=application).order_by(
        "created_at", "pk"
    )


def grant_officers() -> list:
    """The users who hold the grant officer role (the group's permission, or the permission
    given directly), active, with a plain address: whom a case can be assigned to. A
    superuser without the role is none of them. Each with `open_cases`, the open cases
    assigned to them (their caseload). One query, however many cases."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from grants.workflow import OPEN
    from portal.mailboxes import is_plain_address

    decide = Permission.objects.filter(
        content_type__app_label="grants", codename="decide_grantapplication"
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(groups__permissions__in=decide) | Q(user_permissions__in=decide))
        .annotate(
            open_cases=Count(
                "assigned_grant_cases",
                filter=Q(assigned_grant_cases__state__in=OPEN),
                distinct=True,
            )
        )
        .order_by("username", "pk")
    )
    return [user for user in users if is_plain_address(user.email)]


def handover_candidates(application, officer) -> list:
    """The grant officers a case can be handed to: the role, not the officer handing over,
    not linked to the case, not their own application. Two queries."""
    from grants.permissions import is_own_application

    linked = set(application.linked_officers.values_list("pk", flat=True))
    return [
        user
        for user in grant_officers()
        if user.pk != officer.pk
        and user.pk not in linked
        and not is_own_application(application, user)
    ]


def other_cases_of_applicant(application, limit: int = 20):
    """The other cases sent from the applicant's mailbox (`applicant_mailbox`, one
    normalisation), newest first, at most `limit`: for the officer's workspace. One query;
    none once the case's personal data is erased (no mailbox to compare)."""
    from grants.permissions import same_mailbox

    return list(
        officer_cases()
        .filter(same_mailbox(application.applicant_mailbox))
        .exclude(pk=application.pk)
        .select_related("scheme")
        .order_by("-submitted_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class DecisionFigures:
    """What a decision on the case would do to the paying budget line, for the officer's
    workspace: the line (None when the scheme has none this year, with `problem` saying so),
    its remaining balance as booked, the amount considered and what it would leave, and the
    four-eyes amount above which a second officer confirms."""

    line: object
    remaining: Decimal | None
    amount: Decimal
    leaves: Decimal | None
    four_eyes_amount: Decimal
    problem: str = ""

    @property
    def above_four_eyes(self) -> bool:
        return self.amount > self.four_eyes_amount

    @property
    def overspends(self) -> bool:
        return self.leaves is not None and self.leaves < 0


def decision_figures(application, amount=None) -> DecisionFigures:
    """The figures for deciding `application` with `amount` (the amount applied for when
    none is typed): the balance from budgets.selectors (the one source), the line the
    services book on (grants.services.officers.paying_line). Three queries."""
    from budgets.selectors import balance_of
    from grants.services.officers import GrantError, paying_line
    from portal.models import SiteSettings

    amount = Decimal(amount if amount is not None else application.amount_requested)
    four_eyes = SiteSettings.current().grant_four_eyes_amount
    try:
        line = paying_line(application)
    except GrantError as error:
        return DecisionFigures(None, None, amount, None, four_eyes, problem=str(error))
    remaining = balance_of(line).remaining
    return DecisionFigures(line, remaining, amount, remaining - amount, four_eyes)

"""The staff front page's counts: what waits for the signed-in person, each a link to the
work. Each count is one query, whatever the amount of data; a person sees only the counts
of the roles they hold."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets import permissions as budget_permissions
from budgets.models import BudgetLine, Milestone
from grants.enums import ApplicationState
from grants.filters import AWAITING_MY_CONFIRMATION, NEEDS_ACTION
from grants.permissions import conflicted_cases, is_grant_officer
from grants.selectors import officer_cases
from grants.status import awaiting_confirmation_by, needs_officer
from partnerships import permissions as partnership_permissions
from partnerships.filters import REGISTERED_BY_ME
from partnerships.models import Exchange
from portal.models import SiteSettings
from travel import permissions as travel_permissions
from travel.selectors import overdue_trips_count


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    url: str


def _url(name: str, args=(), **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def counts(user) -> list[Count]:
    today = timezone.localdate()
    found: list[Count] = []
    if is_grant_officer(user):
        mine = officer_cases().exclude(conflicted_cases(user))
        found += [
            Count(
                "cases",
                _("Grant cases needing me"),
                mine.filter(needs_officer(user)).count(),
                _url("grants:queue", state=NEEDS_ACTION),
            ),
            Count(
                "proposals",
                _("Proposals awaiting my confirmation"),
                mine.filter(awaiting_confirmation_by(user)).count(),
                _url("grants:queue", state=AWAITING_MY_CONFIRMATION),
            ),
            Count(
                "reports",
                _("Grant reports due"),
                officer_cases()
                .filter(state=ApplicationState.REPORT_DUE, report_submitted_at__isnull=True)
                .count(),
                _url("grants:queue", state=ApplicationState.REPORT_DUE),
            ),
        ]
    if travel_permissions.can_manage_trips(user):
        days = SiteSettings.current().trip_publication_days
        found.append(
            Count(
                "trips",
                _("Trips overdue for publication"),
                overdue_trips_count(today, days),
                reverse("travel:overdue"),
            )
        )
    if partnership_permissions.can_register_exchanges(user):
        found.append(
            Count(
                "exchanges",
                _("Exchanges I registered this year"),
                Exchange.objects.filter(registered_by=user, starts_on__year=today.year).count(),
                _url("partnerships:exchange_list", registered=REGISTERED_BY_ME, year=today.year),
            )
        )
    if budget_permissions.can_edit_follow_up(user):
        found.append(
            Count(
                "rounds",
                _("Follow-up rounds open this year"),
                Milestone.objects.filter(initiative__budget_year__year=today.year, smiley="")
                .values("round")
                .distinct()
                .count(),
                reverse("budgets:staff_follow_up", args=[today.year]),
            )
        )
    if user.is_staff and user.has_perm("budgets.view_budgetline"):
        found.append(
            Count(
                "lines",
                _("Budget lines this year"),
                BudgetLine.objects.filter(budget_year__year=today.year).count(),
                reverse("admin:budgets_budgetline_changelist") + f"?budget_year__year={today.year}",
            )
        )
    return found

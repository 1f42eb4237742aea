"""What grants contribute to other apps' pages (portal.contributions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grants import demo
from grants.enums import ApplicationState
from grants.filters import AWAITING_MY_CONFIRMATION, NEEDS_ACTION
from grants.models import GrantApplication, GrantScheme
from grants.payments import can_read_payments, default_period
from grants.permissions import conflicted_cases, is_grant_officer
from grants.selectors import (
    grants_to_city,
    officer_cases,
    published_figures,
    search_schemes,
    statistics_years,
)
from grants.services.records import not_yet_filed
from grants.status import awaiting_confirmation_by, needs_officer
from portal.contributions import Count, SearchSection, address, contribute
from portal.sitemaps import PublicSitemap

contribute("published_grant_figures")(published_figures)
contribute("search", order=60)(SearchSection(_("Travel grants"), search_schemes, ("text",)))
contribute("demo", order=40)(demo.load)
contribute("demo_sections", order=40)(demo.SECTIONS)


class GrantStatisticsSitemap(PublicSitemap):
    """A page per year with published grant statistics."""

    def items(self):
        return statistics_years()

    def location(self, year):
        return reverse("grants:statistics_year", args=[year])


contribute("sitemap", order=50)(("grant-statistics", GrantStatisticsSitemap()))


class ApplySitemap(PublicSitemap):
    """Each scheme's application form, which says whether it is open."""

    def items(self):
        return GrantScheme.objects.only("slug").order_by("pk")

    def location(self, scheme):
        return reverse("grants:apply", args=[scheme.slug])


contribute("sitemap", order=51)(("apply", ApplySitemap()))


@contribute("workload", order=10)
def officers_work(user, today) -> list[Count]:
    if not is_grant_officer(user):
        return []
    mine = officer_cases().exclude(conflicted_cases(user))
    return [
        Count(
            "cases",
            _("Grant cases needing me"),
            mine.filter(needs_officer(user)).count(),
            address("grants:queue", state=NEEDS_ACTION),
        ),
        Count(
            "proposals",
            _("Proposals awaiting my confirmation"),
            mine.filter(awaiting_confirmation_by(user)).count(),
            address("grants:queue", state=AWAITING_MY_CONFIRMATION),
        ),
        Count(
            "reports",
            _("Grant reports due"),
            officer_cases()
            .filter(state=ApplicationState.REPORT_DUE, report_submitted_at__isnull=True)
            .count(),
            address("grants:queue", state=ApplicationState.REPORT_DUE),
        ),
        Count(
            "to_file",
            _("Finished grant cases to file"),
            not_yet_filed().filter(pk__in=officer_cases().values("pk")).count(),
            address("grants:to_file"),
        ),
    ]


@contribute("workload", order=15)
def finance_work(user, today) -> list[Count]:
    """The finance clerk's tile (and an administrator's): this month's payments, linking to
    the payment list. Officers reach the list from their queue."""
    if not can_read_payments(user) or is_grant_officer(user):
        return []
    start, end = default_period(today)
    return [
        Count(
            "payments",
            _("Grant payments this month"),
            GrantApplication.objects.filter(paid_on__gte=start, paid_on__lte=end).count(),
            address("grants:payments"),
        )
    ]


@contribute("pays_grants")
def pays_grants(line) -> bool:
    """Whether a grant scheme pays from the line's code."""
    return GrantScheme.objects.filter(budget_line_code=line.code).exists()


@contribute("partner_city")
def grants_on_city_page(city) -> dict:
    return {"grants": grants_to_city(city)}

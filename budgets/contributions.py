"""What budgets contribute to the pages that gather the apps (portal.contributions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from budgets import demo, permissions
from budgets.models import BudgetLine, BudgetYear, Milestone
from budgets.selectors import public_years, search_initiatives
from portal.contributions import Count, SearchSection, contribute
from portal.sitemaps import ObjectSitemap, PublicSitemap

contribute("search", order=70)(
    SearchSection(_("Initiatives"), search_initiatives, ("description",))
)
contribute("sitemap", order=40)(("budget", ObjectSitemap(lambda: public_years())))


class BudgetLineSitemap(PublicSitemap):
    """Every line of every public budget year: where each krone went."""

    def items(self):
        return (
            BudgetLine.objects.filter(budget_year__in=public_years().values("pk"))
            .select_related("budget_year")
            .only("code", "budget_year__year")
            .order_by("pk")
        )

    def location(self, line):
        return reverse("budgets:line", args=[line.budget_year.year, line.code])


class FollowUpSitemap(PublicSitemap):
    """The follow-up of each year that has initiatives."""

    def items(self):
        return list(
            BudgetYear.objects.filter(initiatives__isnull=False)
            .distinct()
            .order_by("year")
            .values_list("year", flat=True)
        )

    def location(self, year):
        return reverse("budgets:follow_up", args=[year])


class StaffTimeSitemap(PublicSitemap):
    """The staff time of every year, beside the budget's money."""

    def items(self):
        return ["budgets:staff_time"]

    def location(self, name):
        return reverse(name)


contribute("sitemap", order=41)(("budget-lines", BudgetLineSitemap()))
contribute("sitemap", order=43)(("staff-time", StaffTimeSitemap()))
contribute("sitemap", order=42)(("follow-up", FollowUpSitemap()))
contribute("demo", order=20)(demo.load)
contribute("demo_sections", order=20)(demo.SECTIONS)


@contribute("workload", order=40)
def follow_up_rounds(user, today) -> list[Count]:
    if not permissions.can_edit_follow_up(user):
        return []
    return [
        Count(
            "rounds",
            _("Follow-up rounds open this year"),
            Milestone.objects.filter(initiative__budget_year__year=today.year, smiley="")
            .values("round")
            .distinct()
            .count(),
            reverse("budgets:staff_follow_up", args=[today.year]),
        )
    ]


@contribute("workload", order=50)
def budget_lines(user, today) -> list[Count]:
    if not (user.is_staff and user.has_perm("budgets.view_budgetline")):
        return []
    return [
        Count(
            "lines",
            _("Budget lines this year"),
            BudgetLine.objects.filter(budget_year__year=today.year).count(),
            reverse("admin:budgets_budgetline_changelist") + f"?budget_year__year={today.year}",
        )
    ]

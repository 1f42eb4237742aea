"""What budgets contribute to the pages that gather the apps (portal.contributions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from budgets import demo, permissions
from budgets.models import BudgetLine, Milestone
from budgets.selectors import public_years, search_initiatives
from portal.contributions import Count, SearchSection, contribute
from portal.sitemaps import ObjectSitemap

contribute("search", order=70)(
    SearchSection(_("Initiatives"), search_initiatives, ("description",))
)
contribute("sitemap", order=40)(("budget", ObjectSitemap(public_years())))
contribute("demo", order=20)(demo.load)


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

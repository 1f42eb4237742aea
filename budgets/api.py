"""Budget years and their lines with computed balances, for /api/."""

from rest_framework import serializers

from budgets.datasets import BUDGET_LINES, STAFF_TIME
from budgets.models import BudgetYear
from budgets.selectors import public_balances_for_year, public_years, staff_time
from portal.api import DatasetFields, PublicViewSet
from portal.i18n import all_languages
from portal.opendata import page_url


class LineBalanceSerializer(DatasetFields, serializers.Serializer):
    """A line of a budget year: the budget dataset's columns, as in the year's JSON download."""

    dataset = BUDGET_LINES


class StaffResourceSerializer(DatasetFields, serializers.Serializer):
    """An item of a budget year's staff time: the staff-time dataset's columns, as in its
    JSON download."""

    dataset = STAFF_TIME


class BudgetYearSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = BudgetYear
        fields = ["year", *all_languages("note"), "url"]

    def get_url(self, budget_year) -> str:
        return page_url(budget_year)


class BudgetYearDetailSerializer(BudgetYearSerializer):
    lines = serializers.SerializerMethodField()
    staff_resources = serializers.SerializerMethodField()

    class Meta(BudgetYearSerializer.Meta):
        fields = [*BudgetYearSerializer.Meta.fields, "lines", "staff_resources"]

    def get_lines(self, budget_year) -> LineBalanceSerializer(many=True):
        return LineBalanceSerializer(public_balances_for_year(budget_year), many=True).data

    def get_staff_resources(self, budget_year) -> StaffResourceSerializer(many=True):
        """The staff time the year gives beside its money; an estimated cost is in none of
        the lines' amounts."""
        resources = staff_time(budget_year).resources
        return StaffResourceSerializer(resources, many=True).data


class BudgetYearViewSet(PublicViewSet):
    """Budget years; a year's detail holds every line with what is carried over, committed,
    spent and remaining, computed from the commitments booked; grants count as the grant
    statistics publish them (months that have ended, no small groups, no payments); and the
    staff time the year gives beside its money."""

    queryset = public_years()
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"

    def get_serializer_class(self):
        return BudgetYearDetailSerializer if self.action == "retrieve" else BudgetYearSerializer

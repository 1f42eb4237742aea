"""Budget years and their lines with computed balances, for /api/."""

from rest_framework import serializers

from budgets.datasets import BUDGET_LINES
from budgets.models import BudgetYear
from budgets.selectors import public_balances_for_year, public_years
from portal.api import DatasetFields, PublicViewSet
from portal.i18n import all_languages
from portal.opendata import page_url


class LineBalanceSerializer(DatasetFields, serializers.Serializer):
    """A line of a budget year: the budget dataset's columns, as in the year's JSON download."""

    dataset = BUDGET_LINES


class BudgetYearSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = BudgetYear
        fields = ["year", *all_languages("note"), "url"]

    def get_url(self, budget_year) -> str:
        return page_url(budget_year)


class BudgetYearDetailSerializer(BudgetYearSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(BudgetYearSerializer.Meta):
        fields = [*BudgetYearSerializer.Meta.fields, "lines"]

    def get_lines(self, budget_year) -> LineBalanceSerializer(many=True):
        return LineBalanceSerializer(public_balances_for_year(budget_year), many=True).data


class BudgetYearViewSet(PublicViewSet):
    """Budget years; a year's detail holds every line with what is carried over, committed,
    spent and remaining, computed from the commitments booked; grants count as the grant
    statistics publish them (months that have ended, no small groups, no payments)."""

    queryset = public_years()
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"

    def get_serializer_class(self):
        return BudgetYearDetailSerializer if self.action == "retrieve" else BudgetYearSerializer

"""Budget years and their lines with computed balances, for /api/."""

from rest_framework import serializers

from budgets.models import BudgetYear
from budgets.selectors import balances_for_year, public_years
from portal.api import PublicViewSet, TranslatedFields
from portal.i18n import all_languages
from portal.opendata import page_url

MONEY = {"max_digits": 14, "decimal_places": 2}


class CommitteeSerializer(TranslatedFields, serializers.Serializer):
    translated = {"name": "name"}
    slug = serializers.SlugField()


class LineBalanceSerializer(TranslatedFields, serializers.Serializer):
    translated = {"name": "line.name"}
    code = serializers.CharField(source="line.code")
    kind = serializers.CharField(
        source="line.kind_id", help_text="The kind's code (the admin's budget-line kinds)."
    )
    owner = CommitteeSerializer(source="line.owner", allow_null=True)
    carries_over = serializers.BooleanField(source="line.carries_over")
    amount = serializers.DecimalField(source="line.amount", **MONEY)
    carried_in = serializers.DecimalField(**MONEY)
    available = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)


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
        return LineBalanceSerializer(balances_for_year(budget_year), many=True).data


class BudgetYearViewSet(PublicViewSet):
    """Budget years; a year's detail holds every line with what is carried over, committed,
    spent and remaining, computed from the commitments booked."""

    queryset = public_years()
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"

    def get_serializer_class(self):
        return BudgetYearDetailSerializer if self.action == "retrieve" else BudgetYearSerializer

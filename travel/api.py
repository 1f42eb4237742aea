"""Published trips with programme, accounts and approved reports, for /api/."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api import DatasetFields, PublicViewSet, TranslatedFields
from travel.datasets import TRIPS
from travel.filters import TripFilter
from travel.models import AccountLine, Correction, ProgrammeItem, Trip
from travel.selectors import TRIP_DETAILS, public_trips, published, with_figures


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "nullable": True,
        "description": "Local time at the destination, HH:MM (no time zone).",
        "example": "09:30",
    }
)
class LocalTimeField(serializers.TimeField):
    """A programme's time of day: local at the destination, so it has no offset, which
    JSON Schema's `format: time` (RFC 3339) would require. Written HH:MM."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ProgrammeItemSerializer(TranslatedFields, serializers.ModelSerializer):
    translated = {"what": "what"}
    time = LocalTimeField(allow_null=True, required=False)

    class Meta:
        model = ProgrammeItem
        fields = ["day", "time", "what", "where", "with_whom"]


class AccountLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountLine
        fields = ["category", "description", "budgeted", "actual"]


class CorrectionChangeSerializer(serializers.Serializer):
    """What a correction changed, as travel.corrections stores it."""

    what = serializers.CharField(
        help_text=_(
            "The field of the trip: a field's name (title, purpose, starts_on, …), travellers, "
            "programme, budgeted or actual (an account row), total_budgeted or total_actual."
        )
    )
    item = serializers.CharField(
        help_text=_("The language of a translated text, or the category of an account row.")
    )
    detail = serializers.CharField(help_text=_("The account row's description."))
    kind = serializers.ChoiceField(
        choices=["text", "amount", "date", "country", "number", "choice"],
        help_text=_("How old and new are written: amounts with two decimals, ISO dates."),
    )
    old = serializers.CharField(help_text=_("The value before; empty for a row added."))
    new = serializers.CharField(help_text=_("The value after; empty for a row removed."))


class CorrectionSerializer(serializers.ModelSerializer):
    changes = CorrectionChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Correction
        fields = ["made_at", "summary", "changes"]


class ReportSerializer(TranslatedFields, serializers.ModelSerializer):
    translated = {"text": "report"}
    text = serializers.CharField(source="report")
    approved_on = serializers.DateField(source="report_approved_on", allow_null=True)
    approved_by = serializers.CharField(source="report_approved_by.name", allow_null=True)
    agenda_item = serializers.CharField(source="report_agenda_item")
    minutes_url = serializers.CharField(source="report_minutes_url")
    published_at = serializers.DateTimeField(source="report_published_at", allow_null=True)

    class Meta:
        model = Trip
        fields = [
            "text",
            "approved_on",
            "approved_by",
            "agenda_item",
            "minutes_url",
            "published_at",
        ]


class TripSerializer(DatasetFields, serializers.Serializer):
    """A trip in the API's list: the trips dataset's columns (travel.datasets, as in the JSON
    download), and when it was published."""

    dataset = TRIPS
    published_at = serializers.DateTimeField(read_only=True)


class TripDetailSerializer(TripSerializer):
    programme = ProgrammeItemSerializer(many=True)
    accounts = AccountLineSerializer(source="account_lines", many=True)
    report = serializers.SerializerMethodField()
    corrections = CorrectionSerializer(many=True)

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_report(self, trip):
        """The approved report; null until the committee has approved it."""
        return ReportSerializer(trip).data if trip.report_is_public else None


class TripViewSet(PublicViewSet):
    """Published trips abroad. The list carries figures and travellers; a trip's detail adds
    the programme day by day, the accounts, the approved report and any corrections."""

    filterset_class = TripFilter
    lookup_field = "slug"

    def get_queryset(self):
        if self.action == "list":  # the page's keys only: see paginate_queryset
            return with_figures(published())
        return public_trips().prefetch_related(*TRIP_DETAILS)

    def paginate_queryset(self, queryset):
        """A page of the list written as the JSON download writes its rows: the page's keys
        in the list's order, then the plain rows of what the columns and the serializer's
        own fields read (`DatasetFields.rows_in_order`)."""
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True))
        return TripSerializer.rows_in_order(Trip.objects.all(), keys)

    def get_serializer_class(self):
        return TripDetailSerializer if self.action == "retrieve" else TripSerializer

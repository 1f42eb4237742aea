import django_filters
from django.utils.translation import gettext_lazy as _

from grants.enums import ApplicationState
from grants.models import GrantApplication, GrantScheme
from grants.permissions import conflicted_cases
from grants.status import awaiting_confirmation_by, needs_officer
from partnerships.models import PartnerCity
from portal.filters import PortalFilterSet, RecordFilter, YearFilter

NEEDS_ACTION = "needs_action"
AWAITING_MY_CONFIRMATION = "awaiting_confirmation"


class ApplicationFilter(PortalFilterSet):
    """The officers' queue. With no state chosen it shows what needs an officer's action."""

    empty_labels = {"scheme": _("All schemes"), "partner_city": _("All destinations")}

    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            (NEEDS_ACTION, _("Needs my action")),
            (AWAITING_MY_CONFIRMATION, _("Proposals awaiting my confirmation")),
            ("all", _("All states")),
            *[c for c in ApplicationState.choices if c[0] != ApplicationState.UNCONFIRMED],
        ],
        method="filter_state",
        empty_label=None,
    )
    scheme = django_filters.ModelChoiceFilter(
        label=_("Scheme"), queryset=GrantScheme.objects.all(), to_field_name="slug"
    )
    year = YearFilter(
        label=_("Year submitted"),
        field_name="submitted_at",
        help_text=_("The year the application was sent."),
    )
    partner_city = RecordFilter(label=_("Partner city"), queryset=PartnerCity.objects.all)

    order = django_filters.OrderingFilter(
        label=_("Order"),
        fields=(("submitted_at", "age"), ("amount_requested", "amount")),
        choices=[
            ("age", _("Oldest first")),
            ("-age", _("Newest first")),
            ("-amount", _("Largest amount first")),
            ("amount", _("Smallest amount first")),
        ],
        empty_label=None,
    )

    class Meta:
        model = GrantApplication
        fields = ["state", "scheme", "year", "partner_city"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("state", NEEDS_ACTION)
        data.setdefault("order", "age")  # the case waiting longest first
        super().__init__(data, *args, **kwargs)

    def filter_state(self, queryset, name, value):
        if value == NEEDS_ACTION:
            # Needs *my* action: my move, and not a case I may not decide.
            user = getattr(self.request, "user", None)
            if user is None or not user.is_authenticated:
                return queryset.none()
            return queryset.filter(needs_officer(user)).exclude(conflicted_cases(user))
        if value == AWAITING_MY_CONFIRMATION:
            user = getattr(self.request, "user", None)
            if user is None or not user.is_authenticated:
                return queryset.none()
            return queryset.filter(awaiting_confirmation_by(user)).exclude(conflicted_cases(user))
        if value == "all":
            return queryset
        return queryset.filter(state=value)

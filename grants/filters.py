import django_filters
from django.utils.translation import gettext_lazy as _

from grants.enums import NEEDS_OFFICER, ApplicationState
from grants.models import GrantApplication, GrantScheme
from grants.permissions import conflicted_cases
from partnerships.models import PartnerCity
from portal.filters import PortalFilterSet, YearFilter

NEEDS_ACTION = "needs_action"


class ApplicationFilter(PortalFilterSet):
    """The officers' queue. With no state chosen it shows what needs an officer's action."""

    empty_labels = {"scheme": _("All schemes"), "partner_city": _("All destinations")}

    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            (NEEDS_ACTION, _("Needs my action")),
            ("all", _("All states")),
            *[c for c in ApplicationState.choices if c[0] != ApplicationState.UNCONFIRMED],
        ],
        method="filter_state",
        empty_label=None,
    )
    scheme = django_filters.ModelChoiceFilter(
        label=_("Scheme"), queryset=GrantScheme.objects.all(), to_field_name="slug"
    )
    year = YearFilter(label=_("Year"), field_name="submitted_at")
    partner_city = django_filters.ModelChoiceFilter(
        label=_("Partner city"), queryset=PartnerCity.objects.all(), to_field_name="slug"
    )

    class Meta:
        model = GrantApplication
        fields = ["state", "scheme", "year", "partner_city"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("state", NEEDS_ACTION)
        super().__init__(data, *args, **kwargs)

    def filter_state(self, queryset, name, value):
        if value == NEEDS_ACTION:
            # Needs *my* action: not a case I may not decide.
            queryset = queryset.filter(state__in=NEEDS_OFFICER)
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                queryset = queryset.exclude(conflicted_cases(user))
            return queryset
        if value == "all":
            return queryset
        return queryset.filter(state=value)

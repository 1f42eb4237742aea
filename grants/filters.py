import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.enums import ApplicationState
from grants.models import GrantApplication, GrantScheme
from grants.permissions import conflicted_cases
from grants.selectors import case_number_query, grant_officers
from grants.status import awaiting_confirmation_by, needs_officer, overdue_cases
from partnerships.models import PartnerCity
from portal.filters import PortalFilterSet, RecordFilter, YearFilter

NEEDS_ACTION = "needs_action"
AWAITING_MY_CONFIRMATION = "awaiting_confirmation"
MINE, UNASSIGNED = "mine", "none"
OVERDUE = "overdue"
# A search is a name, an address, an organisation or a case number: never a text to page.
SEARCH_MAX_LENGTH = 100


class SearchField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = SEARCH_MAX_LENGTH
        super().__init__(*args, **kwargs)
        self.error_messages["max_length"] = _(
            "Search for at most %(limit_value)d characters: a case number, a name, an email "
            "address or an organisation."
        )


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def search_cases(text: str) -> Q:
    """The cases a search finds: by case number ("2026-0011", grants.selectors), or by a
    part of the applicant's name, email address or organisation, whatever the case of its
    letters. PostgreSQL compares letters beyond ASCII without case itself; SQLite only
    ASCII, so the text is also tried in lower, upper and title case (ØSTER, øster, Øster)."""
    text = " ".join(text.split())
    condition = case_number_query(text) or Q(pk__in=[])
    for variant in dict.fromkeys([text, text.lower(), text.upper(), text.title()]):
        for field in ("applicant_name", "applicant_email", "organisation"):
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


class ApplicationFilter(PortalFilterSet):
    """The officers' queue. With no state chosen it shows what needs an officer's action."""

    empty_labels = {
        "scheme": _("All schemes"),
        "partner_city": _("All destinations"),
        "assignee": _("Anyone or nobody"),
        "deadline": _("Any deadline"),
    }

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
    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"), choices=(), method="filter_assignee"
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Decision deadline"),
        choices=[(OVERDUE, _("Overdue only"))],
        method="filter_deadline",
    )
    q = SearchFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Case number (2026-0011), name, email address or organisation."),
    )

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
        fields = ["state", "scheme", "year", "partner_city", "assignee", "deadline", "q"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if (data.get("q") or "").strip():
            data.setdefault("state", "all")  # a search looks in every state unless told
        data.setdefault("state", NEEDS_ACTION)
        data.setdefault("order", "age")  # the case waiting longest first
        super().__init__(data, *args, **kwargs)
        # The grant officers (one query): the assignee filter's choices and the caseload.
        self.officers = grant_officers()
        self.filters["assignee"].extra["choices"] = [
            (MINE, _("Me")),
            (UNASSIGNED, _("Nobody")),
            *[(str(officer.pk), officer.get_username()) for officer in self.officers],
        ]

    def filter_assignee(self, queryset, name, value):
        if value == MINE:
            user = getattr(self.request, "user", None)
            if user is None or not user.is_authenticated:
                return queryset.none()
            return queryset.filter(assignee=user)
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee=int(value))

    def filter_deadline(self, queryset, name, value):
        return queryset.filter(overdue_cases()) if value == OVERDUE else queryset

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_cases(value)) if value.strip() else queryset

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

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import Committee
from portal.forms import AmountField, DateInput, QuickSelect, TranslatedForm, translated
from portal.i18n import localized
from portal.municipalities import default_language
from travel.enums import PersonKind
from travel.models import AccountLine, ProgrammeItem, Trip, TripTraveller
from travel.services import person_named, unique_slug


class TripForm(TranslatedForm):
    class Meta:
        model = Trip
        fields = [
            *translated("title", "purpose"),
            "destination_city",
            "destination_country",
            "partner_city",
            "starts_on",
            "ends_on",
            "committee",
            "unit",
            "network",
            "other_participants",
            "budget_line",
            "accounts_status",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 4}) for name in translated("purpose")},
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            # The lists that grow with the municipality (and every country).
            **dict.fromkeys(["destination_country", "partner_city", "budget_line"], QuickSelect),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = self.fields["budget_line"].queryset.select_related(
            "budget_year"
        )
        self.fields["budget_line"].label_from_instance = lambda line: (
            f"{line.budget_year.year} {line.code}: {line.name}"
        )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The return cannot be before the departure."))
        line = cleaned.get("budget_line")
        if line and starts_on and line.budget_year.year != starts_on.year:
            self.add_error(
                "budget_line",
                _("Choose a line of the year the trip starts in (%(year)s).")
                % {"year": starts_on.year},
            )
        return cleaned

    def save(self, commit=True):
        trip = super().save(commit=False)
        if not trip.slug:
            title = getattr(trip, localized("title", default_language()))
            trip.slug = unique_slug(Trip, f"{trip.starts_on:%Y-%m}-{title}")
        if commit:
            trip.save()
        return trip


class TravellerForm(forms.ModelForm):
    """A traveller by name: the same name and kind is the same person on every trip."""

    name = forms.CharField(label=_("Name"), max_length=150)
    # An initial value, so that an untouched blank row does not count as filled in.
    kind = forms.ChoiceField(
        label=_("Politician or official"),
        choices=PersonKind.choices,
        initial=PersonKind.POLITICIAN,
    )

    class Meta:
        model = TripTraveller
        fields = ["name", "kind", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.update(name=self.instance.person.name, kind=self.instance.person.kind)

    def save(self, commit=True):
        self.instance.person = person_named(self.cleaned_data["name"], self.cleaned_data["kind"])
        return super().save(commit)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


TravellerFormSet = inlineformset_factory(
    Trip, TripTraveller, form=TravellerForm, extra=2, can_delete=True
)
ProgrammeFormSet = inlineformset_factory(
    Trip,
    ProgrammeItem,
    form=TranslatedForm,
    fields=["day", "time", *translated("what"), "where", "with_whom"],
    extra=3,
    can_delete=True,
    widgets={"day": DateInput(), "time": TimeInput()},
)
AccountFormSet = inlineformset_factory(
    Trip,
    AccountLine,
    fields=["category", "description", "budgeted", "actual"],
    field_classes={"budgeted": AmountField, "actual": AmountField},
    extra=2,
    can_delete=True,
)


class CorrectionForm(forms.Form):
    correction = forms.CharField(
        label=_("What was corrected"),
        max_length=250,
        required=False,
        help_text=_(
            "Required once the trip is published; shown on the public page, e.g. “hotel cost”."
        ),
    )


class ReportForm(TranslatedForm):
    class Meta:
        model = Trip
        fields = translated("report")
        widgets = {name: forms.Textarea(attrs={"rows": 10}) for name in translated("report")}


class ApprovalForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved at the meeting on"), widget=DateInput())
    approved_by = forms.ModelChoiceField(
        label=_("Approved by (committee)"), queryset=Committee.objects.all()
    )

    def clean_approved_on(self):
        approved_on = self.cleaned_data["approved_on"]
        if approved_on > timezone.localdate():
            raise forms.ValidationError(_("The meeting date cannot be in the future."))
        return approved_on

    agenda_item = forms.CharField(
        label=_("Agenda item"),
        max_length=150,
        help_text=_("The item's number on the agenda, e.g. 7: the page adds the word."),
    )
    minutes_url = forms.URLField(
        label=_("Link to the minutes"), required=False, assume_scheme="https"
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)

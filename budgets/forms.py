from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.enums import EconomySmiley, ManualCause, MilestoneSmiley
from budgets.models import FollowUpRound, Initiative
from portal.forms import AmountField, DateInput
from portal.money import with_currency

# Offered beside the causes an entry may name, and always refused: whoever came to book a
# trip is told where a trip goes (budgets.services._check_cause holds the rule itself).
TRIP_ABROAD = "trip_abroad"


class CommitmentForm(forms.Form):
    manual_cause = forms.ChoiceField(
        label=_("What the amount pays for"),
        choices=[
            ("", _("Choose…")),
            *ManualCause.choices,
            (TRIP_ABROAD, _("A trip abroad (travel, hotel, conference fee abroad)")),
        ],
    )
    amount = AmountField(label=with_currency(_("Amount")), min_value=Decimal("0.01"), max_digits=14)
    booked_on = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), max_length=300, help_text=_("Internal: may name people.")
    )
    public_description = forms.CharField(
        label=_("Public description"),
        max_length=300,
        help_text=_("Shown on the public budget: what the money paid for, naming no one."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("E.g. an invoice or case number."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this is booked by hand. Recorded in the audit log."),
    )
    is_spent = forms.BooleanField(label=_("Already paid"), required=False)

    def clean_manual_cause(self):
        cause = self.cleaned_data["manual_cause"]
        if cause == TRIP_ABROAD:
            raise forms.ValidationError(
                _(
                    "A trip abroad is not booked by hand: register it with the trip form, "
                    "and its actual costs are booked on the line it is paid from."
                )
            )
        return cause


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=500)


class InitiativeForm(forms.ModelForm):
    """An initiative with the text of its milestone for each follow-up round."""

    class Meta:
        model = Initiative
        fields = [
            "budget_year",
            "number",
            "title",
            "description",
            "responsible_centre",
            "responsible_committee",
            "main_contributor",
            "economy_description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "economy_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = (
            {m.round.code: m.description for m in self.instance.milestones.select_related("round")}
            if self.instance.pk
            else {}
        )
        self.rounds = list(FollowUpRound.objects.all())
        for round_ in self.rounds:
            self.fields[f"milestone_{round_.code}"] = forms.CharField(
                label=_("Milestone: %(round)s") % {"round": round_.name},
                required=False,
                initial=existing.get(round_.code, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def milestone_texts(self) -> dict[str, str]:
        return {
            round_.code: self.cleaned_data[f"milestone_{round_.code}"].strip()
            for round_ in self.rounds
        }


class MilestoneStatusForm(forms.Form):
    smiley = forms.ChoiceField(
        label=_("Smiley"),
        choices=[("", _("Not assessed"))] + MilestoneSmiley.choices,
        required=False,
    )
    status_text = forms.CharField(
        label=_("Status"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EconomyStatusForm(forms.Form):
    economy_smiley = forms.ChoiceField(
        label=_("Economy smiley"),
        choices=[("", _("Not assessed"))] + EconomySmiley.choices,
        required=False,
    )
    economy_status = forms.CharField(
        label=_("Economy status"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("The format of the export."))

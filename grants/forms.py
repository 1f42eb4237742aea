from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import GrantApplication, GrantScheme
from grants.rules import eligibility_errors
from partnerships.models import PartnerCity
from portal.forms import DateInput
from portal.uploads import validate_document


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files, each checked for its content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        errors = []
        for uploaded in cleaned:
            try:
                validate_document(uploaded)
            except ValidationError as error:
                errors.append(f"{uploaded.name}: {' '.join(error.messages)}")
        if errors:
            raise ValidationError(errors)
        return cleaned


ATTACHMENT_HELP = _("PDF, JPEG or PNG. You can choose several files.")


class ApplicationForm(forms.ModelForm):
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)

    class Meta:
        model = GrantApplication
        fields = [
            "applicant_kind",
            "applicant_name",
            "applicant_email",
            "applicant_phone",
            "applicant_address",
            "applicant_birth_date",
            "organisation",
            "organisation_may_be_published",
            "purpose",
            "partner_city",
            "other_destination",
            "departs_on",
            "returns_on",
            "participants",
            "participants_under_25",
            "cost_travel",
            "cost_accommodation",
            "cost_other",
            "amount_requested",
        ]
        widgets = {
            "applicant_birth_date": DateInput(),
            "departs_on": DateInput(),
            "returns_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "applicant_birth_date": _("Needed when the grant is for people under 25."),
            "organisation_may_be_published": _(
                "Grants are published without names of people; an association's name only "
                "with your consent."
            ),
        }

    def __init__(self, *args, scheme: GrantScheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["partner_city"].queryset = PartnerCity.objects.filter(status="active")
        self.fields["partner_city"].empty_label = _("Not a partner city")
        if scheme.applicant_kinds:
            self.fields["applicant_kind"].choices = [
                choice
                for choice in self.fields["applicant_kind"].choices
                if choice[0] in scheme.applicant_kinds
            ]
        if scheme.requires_partner_city:
            del self.fields["other_destination"]

    FIELDSETS = [
        (
            _("You"),
            [
                "applicant_kind",
                "applicant_name",
                "applicant_email",
                "applicant_phone",
                "applicant_address",
                "applicant_birth_date",
                "organisation",
                "organisation_may_be_published",
            ],
        ),
        (
            _("The trip"),
            [
                "purpose",
                "partner_city",
                "other_destination",
                "departs_on",
                "returns_on",
                "participants",
                "participants_under_25",
            ],
        ),
        (
            _("Costs and amount"),
            ["cost_travel", "cost_accommodation", "cost_other", "amount_requested", "attachments"],
        ),
    ]

    def fieldsets(self):
        """[(legend, [bound fields])], leaving out fields this scheme does not use."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]

    def clean(self):
        cleaned = super().clean()
        for field, message in eligibility_errors(
            self.scheme, cleaned, timezone.localdate()
        ).items():
            self.add_error(None if field == "__all__" else field, message)
        return cleaned


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("What happened on the trip?"), widget=forms.Textarea(attrs={"rows": 8})
    )
    cost = forms.DecimalField(
        label=_("What did the trip cost in all (DKK)?"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    photos = MultipleFileField(label=_("Photos (optional)"), help_text=ATTACHMENT_HELP)


class ApproveForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to grant (DKK)"), min_value=1, max_digits=12, decimal_places=2
    )
    reason = forms.CharField(
        label=_("Reason (in the decision letter)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection (in the decision letter)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the applicant"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ConfirmForm(forms.Form):
    """Names the exact proposal the second officer was shown."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(widget=forms.HiddenInput, max_digits=12, decimal_places=2)


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict of interest?"),
        help_text=_("E.g. family, or the same association. The case leaves your queue."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CsvConfirmForm(forms.Form):
    """The queue's CSV carries personal data: the officer confirms before downloading."""

    confirm = forms.BooleanField(
        label=_("I will keep this file safe: it contains personal data."), required=True
    )

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
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


FORM_TOKEN_SALT = "grants.application-form"  # noqa: S105 - a signing salt, not a secret


def new_form_token() -> str:
    """A signed key for one filling-in of the form: when it was handed out, and the key that
    makes a second submit of the same form return the first application."""
    return signing.dumps({"k": uuid.uuid4().hex, "t": time.time()}, salt=FORM_TOKEN_SALT)


class ApplicationForm(forms.ModelForm):
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)
    # Against bots, at no cost to people: a field people never see or reach (hidden from
    # assistive technology too), and a minimum time to fill in the form.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

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
        self.fields["form_token"].initial = new_form_token()
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

    @property
    def is_bot(self) -> bool:
        """Filled in the field no person sees: answered as if sent, and nothing is kept."""
        return bool(self.data.get("website"))

    @property
    def submission_key(self) -> str:
        return self.cleaned_data["form_token"]["k"]

    def clean_form_token(self):
        try:
            token = signing.loads(
                self.cleaned_data["form_token"], salt=FORM_TOKEN_SALT, max_age=24 * 3600
            )
        except signing.BadSignature:
            raise ValidationError(
                _("The form is more than a day old. Check your answers and send it again.")
            ) from None
        if time.time() - token["t"] < settings.GRANT_FORM_MIN_SECONDS:
            raise ValidationError(
                _("That was very fast. Check your answers, then send the form again.")
            )
        return token

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > settings.GRANT_MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)s files.") % {"count": settings.GRANT_MAX_FILES}
            )
        if sum(uploaded.size for uploaded in files) > settings.GRANT_MAX_FILES_BYTES:
            raise ValidationError(
                _("The files may be at most %(size)s MB together.")
                % {"size": settings.GRANT_MAX_FILES_BYTES // (1024 * 1024)}
            )
        return files

    def clean(self):
        cleaned = super().clean()
        if "form_token" in self.errors:
            # The token's error is the form's: the visitor cannot see or fix the field.
            self.add_error(None, self.errors.pop("form_token")[0])
            self.data = self.data.copy()
            self.data["form_token"] = self.fields["form_token"].initial
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

import datetime
import time
import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from grants.models import GrantApplication, GrantScheme
from grants.rules import eligibility_errors
from partnerships.models import PartnerCity
from portal.dates import short_date
from portal.forms import AmountField, DateInput
from portal.mailboxes import validate_plain_address
from portal.money import format_money, with_currency
from portal.pagination import PAGE_SIZE
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
        field_classes = dict.fromkeys(
            ["cost_travel", "cost_accommodation", "cost_other", "amount_requested"], AmountField
        )
        help_texts = {
            "applicant_birth_date": _("Needed when the grant is for people under 25."),
            "organisation_may_be_published": _(
                "Grants are published without names of people; an association's name only "
                "with your consent."
            ),
        }

    def __init__(self, *args, scheme: GrantScheme, kept_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        # Files chosen earlier and kept with the draft: sent again unless others are chosen.
        self.kept_files = list(kept_files)
        self.fields["form_token"].initial = new_form_token()
        # The model's text has no length; the form's (and so a draft's) has one.
        purpose = self.fields["purpose"]
        purpose.max_length = settings.GRANT_PURPOSE_MAX_CHARS
        purpose.validators.append(MaxLengthValidator(purpose.max_length))
        purpose.widget.attrs["maxlength"] = str(purpose.max_length)
        cities = self.fields["partner_city"]
        cities.queryset = PartnerCity.objects.filter(status="active")
        kind = self.fields["applicant_kind"]
        allowed = scheme.applicant_kinds or [value for value, _label in kind.choices if value]
        kind.choices = [("", _("Choose"))] + [c for c in kind.choices if c[0] in allowed]
        if len(allowed) == 1:
            kind.initial = allowed[0]
        if scheme.requires_partner_city:
            # Only partner cities fit: the list starts from them, never "not a partner city".
            del self.fields["other_destination"]
            cities.required = True
            cities.empty_label = _("Choose a partner city")
            only = list(cities.queryset[:2])
            if len(only) == 1:
                cities.initial = only[0].pk
        else:
            cities.empty_label = _("Not a partner city")
        if self.kept_files:
            self.fields["attachments"].help_text = _(
                "Attached already: %(names)s. Choose files only to replace them."
            ) % {"names": ", ".join(self.kept_files)}

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
            with_currency(_("Costs and amount")),
            ["cost_travel", "cost_accommodation", "cost_other", "amount_requested", "attachments"],
        ),
    ]

    def fieldsets(self):
        """[(legend, [bound fields])], leaving out fields this scheme does not use."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]

    def answers(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """[(legend, [(label, the answer in words)])] of a valid form, for checking."""
        return [
            (legend, [(field.label, self._in_words(field.name)) for field in fields])
            for legend, fields in self.fieldsets()
        ]

    def _in_words(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        field = self.fields[name]
        if name == "attachments":
            return ", ".join(f.name for f in value) if value else gettext("None")
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if value in (None, ""):
            return "–"
        if isinstance(value, datetime.date):
            return short_date(value)
        if isinstance(value, Decimal):
            return format_money(value)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            return str(dict(field.choices).get(value, value))
        return str(value)

    def full_clean(self):
        super().full_clean()
        chosen = self.cleaned_data.get("attachments") if hasattr(self, "cleaned_data") else None
        if self._errors and chosen and "attachments" not in self._errors:
            # Files cannot be kept while the form has errors: say which, so none is lost.
            self.add_error(
                "attachments",
                ngettext(
                    "%(names)s was fine, but could not be kept because of the other errors: "
                    "choose it again.",
                    "%(names)s were fine, but could not be kept because of the other errors: "
                    "choose them again.",
                    len(chosen),
                )
                % {"names": ", ".join(uploaded.name for uploaded in chosen)},
            )

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

    def clean_applicant_email(self):
        # A quoted local part or an address literal reaches a mailbox that another spelling
        # reaches too: such addresses slipped past the own-case rule (grant-identity.md).
        address = self.cleaned_data["applicant_email"]
        validate_plain_address(address)
        return address

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
    cost = AmountField(label=with_currency(_("What did the trip cost in all?")), min_value=0)
    photos = MultipleFileField(label=_("Photos (optional)"), help_text=ATTACHMENT_HELP)


class ApproveForm(forms.Form):
    amount = AmountField(label=with_currency(_("Amount to grant")), min_value=1)
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


class BatchForm(forms.Form):
    """The queue's one move over several cases: the moves officers repeat case by case."""

    ACTIONS = [
        ("paid", _("Mark the chosen grants paid")),
        ("report_received", _("Mark the chosen reports received")),
    ]
    action = forms.ChoiceField(label=_("With the chosen cases"), choices=ACTIONS)
    cases = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].error_messages["required"] = _("Choose at least one case.")
        # Any case number; the view checks each case as its own page would.
        self.fields["cases"].valid_value = lambda value: str(value).isdigit()

    def clean_cases(self):
        cases = list(dict.fromkeys(self.cleaned_data["cases"]))
        if len(cases) > PAGE_SIZE:
            raise ValidationError(
                _("Choose at most %(count)s cases at a time.") % {"count": PAGE_SIZE}
            )
        return cases

    def action_label(self) -> str:
        return dict(self.ACTIONS)[self.cleaned_data["action"]]

    def errors_in_words(self) -> list[str]:
        return [message for errors in self.errors.values() for message in errors]


class CsvConfirmForm(forms.Form):
    """The queue's CSV carries personal data: the officer confirms before downloading."""

    confirm = forms.BooleanField(
        label=_("I will keep this file safe: it contains personal data."), required=True
    )

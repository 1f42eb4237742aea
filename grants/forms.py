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

from grants.cvr import normalise_cvr, validate_cvr
from grants.enums import ORGANISATION_KINDS
from grants.letters import GROUNDS
from grants.models import GrantApplication, GrantScheme
from grants.rules import eligibility_errors
from grants.services.applicants import report_warning
from partnerships.models import PartnerCity
from portal.dates import short_date
from portal.forms import AmountField, DateInput, QuickSelect
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


def check_file_limits(files):
    """How many files one form may send, and how large they may be together."""
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
            "organisation_cvr",
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
            "partner_city": QuickSelect,  # grows with the municipality
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
        bound_text(self.fields["purpose"], settings.GRANT_PURPOSE_MAX_CHARS)
        cities = self.fields["partner_city"]
        cities.queryset = PartnerCity.objects.filter(status="active")
        kind = self.fields["applicant_kind"]
        allowed = scheme.applicant_kinds or [value for value, _label in kind.choices if value]
        kind.choices = [("", _("Choose"))] + [c for c in kind.choices if c[0] in allowed]
        if len(allowed) == 1:
            kind.initial = allowed[0]
        if not set(allowed) & set(ORGANISATION_KINDS):
            del self.fields["organisation_cvr"]  # nobody who may apply has one
        else:
            cvr = self.fields["organisation_cvr"]
            cvr.help_text = _(
                "Associations, schools and twin-town associations: the 8-digit CVR number, if "
                "it has one."
            )
            # Read as typed ("DK 5827 1713"), checked once normalised (clean_organisation_cvr).
            cvr.max_length, cvr.validators = None, []
            cvr.widget.attrs.update({"inputmode": "numeric", "maxlength": "20"})
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
                "organisation_cvr",
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

    def clean_organisation_cvr(self):
        number = normalise_cvr(self.cleaned_data.get("organisation_cvr", ""))
        validate_cvr(number)
        return number

    def clean_attachments(self):
        return check_file_limits(self.cleaned_data["attachments"])

    def clean(self):
        cleaned = super().clean()
        if "form_token" in self.errors:
            # The token's error is the form's: the visitor cannot see or fix the field.
            self.add_error(None, self.errors.pop("form_token")[0])
            self.data = self.data.copy()
            self.data["form_token"] = self.fields["form_token"].initial
        kind = cleaned.get("applicant_kind")
        if cleaned.get("organisation_cvr") and kind and kind not in ORGANISATION_KINDS:
            self.add_error(
                "organisation_cvr",
                _("Only an association, a school or a twin-town association gives a CVR number."),
            )
        for field, message in eligibility_errors(
            self.scheme, cleaned, timezone.localdate()
        ).items():
            self.add_error(None if field == "__all__" else field, message)
        return cleaned


def bound_text(field, limit: int) -> None:
    """Give a text field its length from a setting, read when the form is made (so a
    deployment's value holds): the form's message at the field, and the browser's limit."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


class AnswerForm(forms.Form):
    """The applicant's answer to a question (and, as CommentForm, their comments in a
    hearing): at most GRANT_REPLY_MAX_CHARS."""

    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text(self.fields["text"], settings.GRANT_REPLY_MAX_CHARS)


class ReportForm(forms.Form):
    """The report back: what happened, how many took part, the actual costs in the
    application's categories, photos and documents. Before the trip's return date the
    applicant must say that the trip has taken place (`taken_place`)."""

    report = forms.CharField(
        label=_("What happened on the trip?"), widget=forms.Textarea(attrs={"rows": 8})
    )
    participants = forms.IntegerField(label=_("How many took part?"), min_value=0)
    cost_travel = AmountField(label=with_currency(_("Actual costs: travel")), min_value=0)
    cost_accommodation = AmountField(
        label=with_currency(_("Actual costs: accommodation")), min_value=0
    )
    cost_other = AmountField(label=with_currency(_("Actual costs: other")), min_value=0)
    photos = MultipleFileField(
        label=_("Photos and documents (optional)"),
        help_text=_("PDF, JPEG or PNG: receipts, a programme, photos. You can choose several."),
    )
    taken_place = forms.BooleanField(label=_("The trip has taken place"), required=False)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text(self.fields["report"], settings.GRANT_REPLY_MAX_CHARS)
        self.warning = report_warning(application) if application is not None else ""
        if not self.warning:
            del self.fields["taken_place"]

    def clean_photos(self):
        return check_file_limits(self.cleaned_data["photos"])

    def clean(self):
        cleaned = super().clean()
        if self.warning and not cleaned.get("taken_place"):
            self.add_error("taken_place", self.warning)
        return cleaned


class CommentForm(AnswerForm):
    """The applicant's comments on facts put to them (a hearing)."""

    text = forms.CharField(label=_("Your comments"), widget=forms.Textarea(attrs={"rows": 6}))


def _rules_field(required: bool) -> forms.MultipleChoiceField:
    """The scheme's rules a decision rests on (grants.letters.GROUNDS); the case page offers
    those of the case's scheme (grants/staff/_decide.html), the service checks them."""
    return forms.MultipleChoiceField(
        label=_("The rules of the scheme the decision rests on"),
        choices=[(ground.key, ground.label) for ground in GROUNDS],
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={
            "required": _("Choose the rule of the scheme that the decision rests on."),
            "invalid_choice": _("These are not rules of this scheme: %(value)s."),
        },
    )


class ApproveForm(forms.Form):
    amount = AmountField(label=with_currency(_("Amount to grant")), min_value=1)
    reason = forms.CharField(
        label=_("Reason (in the decision letter)"),
        help_text=_(
            "Granting less than was applied for needs the main considerations and the rules "
            "of the scheme below."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rules = _rules_field(required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection (in the decision letter)"),
        help_text=_("The main considerations: how you judged the application against the rules."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rules = _rules_field(required=True)


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


class PaidForm(forms.Form):
    """The payment as the finance system made it (checked by services.mark_paid)."""

    paid_on = forms.DateField(
        label=_("Paid on"), initial=timezone.localdate, widget=DateInput(), required=False
    )
    reference = forms.CharField(
        label=_("The finance system's reference"),
        max_length=GrantApplication._meta.get_field("payment_reference").max_length,
        help_text=_("The voucher or payment number the finance department gave the payment."),
    )

    def clean_paid_on(self):
        return self.cleaned_data.get("paid_on") or timezone.localdate()


class ReversePaymentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the payment reversed?"),
        help_text=_("E.g. paid to a wrong account, or returned by the bank. Kept in the history."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class JournalNumberForm(forms.Form):
    journal_number = forms.CharField(
        label=_("Journal number in the records system"),
        max_length=GrantApplication._meta.get_field("journal_number").max_length,
        required=False,
        help_text=_("The case's number in the municipality's records system (ESDH)."),
    )


class PaymentPeriodForm(forms.Form):
    """The payment list's period: payment dates from and to (both included)."""

    start = forms.DateField(label=_("Payment date from"), widget=DateInput())
    end = forms.DateField(label=_("Payment date until"), widget=DateInput())

    def clean(self):
        from grants.payments import MAX_DAYS

        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        elif start and end and (end - start).days >= MAX_DAYS:
            self.add_error("end", _("Choose at most %(days)s days at a time.") % {"days": MAX_DAYS})
        return cleaned


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


class HearingForm(forms.Form):
    """Facts put to the applicant for comments before a decision rests on them; the service
    checks the deadline (grants.services.casework.check_hearing_deadline)."""

    facts = forms.CharField(
        label=_("The facts the applicant is to comment on"),
        help_text=_("The applicant reads this on their case page, as you write it."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    deadline = forms.DateField(label=_("Comments by"), widget=DateInput())


class WithdrawQuestionForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the question withdrawn?"),
        help_text=_("E.g. the applicant answered by phone. Kept in the case's history."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevisionForm(forms.Form):
    note = forms.CharField(
        label=_("What should the applicant revise?"),
        help_text=_("The applicant reads this on their case page."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandOverForm(forms.Form):
    """To whom the case goes: a grant officer who may act on it (grants.selectors)."""

    to = forms.TypedChoiceField(label=_("Hand over to"), coerce=int, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.fields["to"].choices = [(user.pk, user.get_username()) for user in candidates]
        self.fields["to"].error_messages["invalid_choice"] = _(
            "Choose a grant officer from the list."
        )

    def clean_to(self):
        return self.candidates[self.cleaned_data["to"]]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note for colleagues (never shown to the applicant)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RepaymentForm(forms.Form):
    amount = AmountField(label=with_currency(_("Amount to repay")), min_value=0)


class RepaidForm(forms.Form):
    repaid_on = forms.DateField(label=_("Repaid on"), widget=DateInput())


def casework_initial(application) -> dict:
    """What the officer's casework forms start from: a hearing's earliest deadline, the
    unspent grant as the repayment, today as the day it was repaid."""
    from grants.selectors import unspent_grant
    from grants.services.casework import earliest_hearing_deadline

    return {
        "hearing": {"deadline": earliest_hearing_deadline()},
        "claim_repayment": {"amount": unspent_grant(application)},
        "repaid": {"repaid_on": timezone.localdate()},
    }


class UnderstoodForm(forms.Form):
    """An irreversible action's one question, without JavaScript: a required box the officer
    ticks, saying what follows (the workflow table's `asks`). Other forms of such an action
    get the same box (`asking`)."""


def asking(form_class, words):
    """`form_class` with the required box `understood` labelled `words`, last."""
    field = forms.BooleanField(
        label=words,
        required=True,
        error_messages={"required": _("Tick the box to confirm that you know what follows.")},
    )
    return type(form_class.__name__, (form_class,), {"understood": field})
